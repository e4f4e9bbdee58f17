#!/usr/bin/env node
// dlx's entry point: runs the compiled CLI and sets the exit code (it never calls process.exit
// while work is pending, so streams flush).
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
