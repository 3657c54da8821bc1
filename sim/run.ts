#!/usr/bin/env node
/** Entry point of `make sim`: node dist/sim/run.js --rtl rtl-out [--vectors N] [--seed S] [--replay FILE] */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
