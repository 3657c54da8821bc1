#!/usr/bin/env node
// Entry point of the `mxrtl` command; the code lives in dist/ (built by `npm install`/`npm run build`).
import { main } from '../dist/generator/cli.js';

process.exitCode = await main(process.argv.slice(2));
