#!/usr/bin/env node
// dlx's entry point: loads the CLI (from the start-up bundle when built, src/cli/load.ts), runs it
// and sets the exit code (it never calls process.exit while work is pending, so streams flush).
import { loadMain } from '../dist/src/cli/load.js';

const argv = process.argv.slice(2);
const { main } = await loadMain(argv);
process.exitCode = await main(argv);
