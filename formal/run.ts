#!/usr/bin/env node
/** Entry point of `make formal`: node dist/formal/run.js --rtl rtl-out [--only NAMES] [--timeout S] */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
