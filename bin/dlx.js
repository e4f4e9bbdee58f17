#!/usr/bin/env node
// dlx's entry point: loads the CLI, runs it and sets the exit code (it never calls process.exit
// while work is pending, so streams flush). A command loads the start-up bundle when built
// (src/cli/load.ts); help and the version need a dozen small modules, which cost less to import
// than the bundle costs to read (README.md, Commands). A guess from the words alone: it changes
// only where the same code is loaded from.
const argv = process.argv.slice(2);
const help = argv.length === 0 || argv[0] === 'help' || argv.some((a) => ['-h', '--help', '-V', '--version'].includes(a));
if (help && process.env.DLX_DEBUG_LOAD === '1') process.stderr.write('dlx: loaded from the ES modules (bundle not needed for help)\n');
const { main } = help ? await import('../dist/src/cli/main.js') : await (await import('../dist/src/cli/load.js')).loadMain();
process.exitCode = await main(argv);
