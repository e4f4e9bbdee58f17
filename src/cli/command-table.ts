// Every dlx command as data: name, operands, options, help texts, and where its work lives.
// main.ts builds commander's parser from this table; a command's file (and through it zod,
// YAML, the engine, the run layer) is imported only when that command runs, so `dlx --help`
// and `dlx <command> --help` load this file and commander, nothing else of the work.
import type { Io } from './io.js';

/**
 * A command's work: its operands and then its options object, in commander's order. Commander
 * hands them over untyped; each command file's action declares the types it was registered with.
 */
export type CommandAction = (io: Io, signal: AbortSignal, ...parsed: any[]) => Promise<void>;

export interface OperandEntry {
  /** commander's syntax: `<spec>`, `[dir]`, `<runs...>`. */
  readonly name: string;
  readonly description: string;
  readonly default?: string;
}

export interface OptionEntry {
  /** commander's syntax: `--runs-dir <dir>`, `-o, --out <file>`, `--no-plots`. */
  readonly flags: string;
  readonly description: string;
  readonly default?: string;
  /** May be given several times; the values are collected into a list (`--set`). */
  readonly repeatable?: true;
  /** commander refuses the command without it. */
  readonly required?: true;
}

export interface CommandEntry {
  readonly name: string;
  readonly description: string;
  readonly operands?: readonly OperandEntry[];
  readonly options?: readonly OptionEntry[];
  /** Shown after the options in `dlx <command> --help`: an example, and notes. */
  readonly helpAfter?: string;
  /** Imports the command's file and returns its work; absent for a group of subcommands. */
  readonly load?: () => Promise<CommandAction>;
  readonly subcommands?: readonly CommandEntry[];
}

/** --set: each occurrence adds one override. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const threadsHelp = 'threads for the large kernels (default: one per core, at most 8; capped at the core count; results do not depend on it)';
const backendHelp = 'the compute backend: native, wasm or reference (default: native when built for this CPU, else wasm)';
const example = (...lines: string[]) => `\nExample:\n${lines.map((l) => `  ${l}`).join('\n')}`;

export const commandTable: readonly CommandEntry[] = [
  {
    name: 'train',
    description: 'train one model from a spec and write a run folder',
    operands: [{ name: '<spec>', description: 'the experiment spec (YAML)' }],
    options: [
      { flags: '--set <key=value>', description: 'override a spec value (repeatable), e.g. optimizer.lr=0.01', repeatable: true },
      { flags: '--runs-dir <dir>', description: 'where run folders go', default: 'runs' },
      { flags: '--name <name>', description: 'the run name (overrides the spec\'s name)' },
      { flags: '--seed <seed>', description: 'the seed (overrides the spec\'s seed)' },
      { flags: '--backend <backend>', description: backendHelp },
      { flags: '--threads <n>', description: threadsHelp },
      { flags: '--quiet', description: 'print only the final summary' },
      { flags: '--json', description: 'print one JSON object per epoch and a final one, nothing else' },
      { flags: '--folds <k>', description: 'k-fold cross-validation: k run folders, each validating on one fold; mean and spread' },
      { flags: '--no-plots', description: 'do not draw plots/*.svg at the end' },
    ],
    helpAfter: example('dlx train configs/quickstart.yaml --set optimizer.lr=0.05 --seed 7 --threads 2', 'dlx train configs/quickstart.yaml --folds 5'),
    load: async () => (await import('./commands/train.js')).trainAction,
  },
  {
    name: 'validate',
    description: 'check specs and print every problem with file:line:column, including a model that does not fit the data; trains nothing',
    operands: [{ name: '<specs...>', description: 'spec files' }],
    options: [{ flags: '--set <key=value>', description: 'override a value in every spec (repeatable)', repeatable: true }],
    helpAfter: example('dlx validate configs/*.yaml'),
    load: async () => (await import('./commands/validate.js')).validateAction,
  },
  {
    name: 'eval',
    description: "a checkpoint's loss, accuracy, top-k, per-class precision/recall/F1 and confusion matrix on a split",
    operands: [{ name: '<run>', description: 'a run folder (its last checkpoint) or a .safetensors checkpoint in one' }],
    options: [
      { flags: '--split <split>', description: 'train, val or test', default: 'val' },
      { flags: '--top-k <k>', description: 'k of the top-k accuracy (at most the class count)', default: '5' },
      { flags: '--backend <backend>', description: 'the compute backend: native, wasm or reference (default: the run\'s own)' },
      { flags: '--threads <n>', description: threadsHelp },
      { flags: '--json', description: 'print one JSON object' },
      { flags: '--allow-changed-data', description: 'evaluate even when the data differs from what the run recorded (a warning, and dataChanged in --json)' },
    ],
    helpAfter: example('dlx eval runs/quickstart/20261125-101500-a1b2c3 --split val --json'),
    load: async () => (await import('./commands/eval.js')).evalAction,
  },
  {
    name: 'sweep',
    description: 'search hyperparameters (grid, random, TPE) with folds, pruning and parallel workers; a sweep folder',
    operands: [{ name: '<spec>', description: 'an experiment spec with a sweep: section' }],
    options: [
      { flags: '--set <key=value>', description: 'override a spec value (repeatable)', repeatable: true },
      { flags: '--runs-dir <dir>', description: 'where sweep folders go', default: 'runs' },
      { flags: '--workers <n>', description: 'trials in parallel, each in a child process (default: sweep.workers, 1)' },
      { flags: '--threads <n>', description: 'threads per trial (default: the cores shared among the workers)' },
      { flags: '--backend <backend>', description: backendHelp },
      { flags: '--quiet', description: 'print only the final summary' },
      { flags: '--json', description: 'print one JSON object per trial event and a final one, nothing else' },
      { flags: '--queue <url>', description: 'run the trials on dlx workers through Redis: redis://[user:pass@]host:port[/db], rediss:// for TLS' },
      { flags: '--queue-timeout <seconds>', description: 'with --queue: stop when Redis is unreachable this many seconds (default 300)' },
      { flags: '--no-plots', description: 'do not draw the sweep\'s plots/*.svg at the end' },
    ],
    helpAfter: example('dlx sweep configs/sweep-random.yaml --workers 2 && dlx runs', 'dlx sweep configs/sweep-random.yaml --workers 8 --queue redis://localhost:6379'),
    load: async () => (await import('./commands/sweep.js')).sweepAction,
  },
  {
    name: 'ensemble',
    description: "average the members' output probabilities; each member's metrics, their mean and the ensemble's",
    operands: [{ name: '<members...>', description: 'run folders, checkpoints, or sweep folders (a sweep stands for its best trials)' }],
    options: [
      { flags: '--top <k>', description: "a sweep's best k trials (default: all that finished)" },
      { flags: '--split <split>', description: 'train, val or test', default: 'val' },
      { flags: '--json', description: 'print one JSON object' },
    ],
    helpAfter: example('dlx ensemble runs/seeds/sweep-20261128-101500-a1b2c3 --top 3 --split test'),
    load: async () => (await import('./commands/ensemble.js')).ensembleAction,
  },
  {
    name: 'worker',
    description: 'train the trials of sweeps started with dlx sweep --queue, taken from Redis',
    options: [
      { flags: '--queue <url>', description: 'the Redis: redis://[user:pass@]host:port[/db], rediss:// for TLS (password also from DLX_REDIS_PASSWORD)', required: true },
      { flags: '--concurrency <n>', description: 'trials at once, each in its own process', default: '1' },
      { flags: '--threads <n>', description: 'threads per trial (default: the cores shared among the trials)' },
      { flags: '--scratch <dir>', description: 'where trials train before their files are sent back (default: a temporary folder)' },
      { flags: '--lock-seconds <s>', description: 'a trial whose worker is silent this long goes to another worker', default: '30' },
      { flags: '--quiet', description: 'print only problems' },
      { flags: '--json', description: 'print one JSON object per event, nothing else' },
    ],
    helpAfter: '\nCtrl-C: stop the running trials after their batch and put them back on the queue at once, exit 130; twice: quit now (the trials go to another worker once --lock-seconds pass).\n'
      + example('dlx worker --queue redis://:secret@sweeps.example.org:6379 --concurrency 2'),
    load: async () => (await import('./commands/worker.js')).workerAction,
  },
  {
    name: 'resume',
    description: 'continue an interrupted run from its last checkpoint, exactly; or an interrupted sweep',
    operands: [{ name: '<run>', description: 'the run folder, or a sweep folder' }],
    options: [
      { flags: '--threads <n>', description: 'threads for the large kernels (default: as the run had)' },
      { flags: '--workers <n>', description: 'for a sweep: trials in parallel (default: as the sweep had)' },
      { flags: '--queue <url>', description: 'for a sweep: run its trials on dlx workers through Redis (as dlx sweep --queue)' },
      { flags: '--queue-timeout <seconds>', description: 'with --queue: stop when Redis is unreachable this many seconds (default 300)' },
      { flags: '--quiet', description: 'print only the final summary' },
      { flags: '--json', description: 'print one JSON object per epoch and a final one, nothing else' },
      { flags: '--no-plots', description: 'do not draw plots/*.svg at the end' },
    ],
    helpAfter: example('dlx resume runs/quickstart/20261125-101500-a1b2c3'),
    load: async () => (await import('./commands/resume.js')).resumeAction,
  },
  {
    name: 'reproduce',
    description: 'rerun a finished run (or sweep) from its folder; exit 0 when curves and final weights match, 1 otherwise',
    operands: [{ name: '<run>', description: 'the run folder, or a sweep folder' }],
    options: [{ flags: '--tolerance <relative>', description: 'allowed relative difference (0: bit-identical)', default: '0' }],
    helpAfter: example('dlx reproduce runs/quickstart/20261125-101500-a1b2c3 && echo reproducible'),
    load: async () => (await import('./commands/reproduce.js')).reproduceAction,
  },
  {
    name: 'compare',
    description: 'the spec differences and the metrics of runs, side by side',
    operands: [{ name: '<runs...>', description: 'run folders, or sweep folders (each stands for its trials)' }],
    options: [
      { flags: '--json', description: 'print one JSON object' },
      { flags: '--plot <file>', description: 'also write the runs\' learning curves overlaid as an SVG file' },
    ],
    helpAfter: example('dlx compare runs/quickstart/* --plot compare.svg'),
    load: async () => (await import('./commands/compare.js')).compareAction,
  },
  {
    name: 'predict',
    description: 'class probabilities for new samples (CSV rows or an IDX file) as CSV; several checkpoints: their average (an ensemble)',
    operands: [{ name: '<checkpoint...>', description: 'run folders (their last checkpoint) or .safetensors checkpoints, then the input: a CSV of feature rows (header optional) or an IDX file (.idx, -ubyte, .gz)' }],
    options: [
      { flags: '--out <file>', description: 'write the CSV here instead of standard output' },
      { flags: '--allow-changed-data', description: "predict even when the run's recorded data files have changed since (a warning on stderr)" },
    ],
    helpAfter: example('dlx predict runs/quickstart/20261125-101500-a1b2c3 new-flowers.csv --out predictions.csv', 'dlx predict runs/a/20261125-101500-a1b2c3 runs/a/20261125-101733-d4e5f6 new-flowers.csv'),
    load: async () => (await import('./commands/predict.js')).predictAction,
  },
  {
    name: 'plot',
    description: 'draw the SVG plots of run folders (curves, lr, confusion, weights, norms) and sweep folders into their plots/',
    operands: [{ name: '<folders...>', description: 'run or sweep folders' }],
    helpAfter: example('dlx plot runs/quickstart/20261125-101500-a1b2c3'),
    load: async () => (await import('./commands/plot.js')).plotCommand,
  },
  {
    name: 'report',
    description: 'one self-contained HTML file (inline SVG, no request) with the specs, their differences, metrics and every plot of runs and sweeps',
    operands: [{ name: '<folders...>', description: 'run or sweep folders' }],
    options: [{ flags: '-o, --out <file>', description: 'the HTML file to write', default: 'report.html' }],
    helpAfter: example('dlx report runs/quickstart/* -o quickstart.html'),
    load: async () => (await import('./commands/report.js')).reportAction,
  },
  {
    name: 'runs',
    description: 'list the runs in a runs directory: status, best epoch, validation and test metrics; damaged folders with their problems',
    operands: [{ name: '[dir]', description: 'the runs directory', default: 'runs' }],
    options: [
      { flags: '--json', description: 'print a JSON array' },
      { flags: '--clean', description: 'remove staging folders of runs killed before their first epoch (only those whose process is gone)' },
    ],
    helpAfter: example('dlx runs runs/ --json'),
    load: async () => (await import('./commands/runs.js')).runsCommand,
  },
  {
    name: 'schema',
    description: 'print the JSON Schema of a spec (a sweep spec\'s sweep: section included)',
    helpAfter: example('dlx schema > dlx.schema.json   # then: # yaml-language-server: $schema=dlx.schema.json'),
    load: async () => (await import('./commands/schema.js')).schemaAction,
  },
  {
    name: 'datasets',
    description: 'the built-in datasets: list, info, fetch',
    subcommands: [
      {
        name: 'list',
        description: 'every built-in dataset, where it comes from and whether it is present',
        options: [{ flags: '--json', description: 'print a JSON array' }],
        helpAfter: example('dlx datasets list'),
        load: async () => (await import('./commands/datasets.js')).datasetsListCommand,
      },
      {
        name: 'info',
        description: 'one dataset: what it is, where it comes from, whether it is present, what to know',
        operands: [{ name: '<name>', description: 'a dataset name from dlx datasets list' }],
        options: [{ flags: '--json', description: 'print one JSON object' }],
        helpAfter: example('dlx datasets info morse'),
        load: async () => (await import('./commands/datasets.js')).datasetsInfoAction,
      },
      {
        name: 'fetch',
        description: 'download a dataset into the cache (DLX_CACHE, else ~/.cache/dlx), checksum-verified',
        operands: [{ name: '<name>', description: 'a dataset name from dlx datasets list' }],
        helpAfter: example('dlx datasets fetch cifar10'),
        load: async () => (await import('./commands/datasets.js')).datasetsFetchAction,
      },
    ],
  },
];
