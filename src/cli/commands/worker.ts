// dlx worker --queue URL: trains the trials of sweeps started with `dlx sweep --queue URL`. The
// work's modules are imported when it runs, so that `dlx --help` does not load them.
import type { Command } from 'commander';
import type { Run } from '../flags.js';
import type { Io } from '../io.js';
import type { WorkerFlags } from '../worker-run.js';

export function registerWorker(program: Command, io: Io, run: Run): void {
  program
    .command('worker')
    .description('train the trials of sweeps started with dlx sweep --queue, taken from Redis')
    .requiredOption('--queue <url>', 'the Redis: redis://[user:pass@]host:port[/db], rediss:// for TLS (password also from DLX_REDIS_PASSWORD)')
    .option('--concurrency <n>', 'trials at once, each in its own process', '1')
    .option('--threads <n>', 'threads per trial (default: the cores shared among the trials)')
    .option('--scratch <dir>', 'where trials train before their files are sent back (default: a temporary folder)')
    .option('--lock-seconds <s>', 'a trial whose worker is silent this long goes to another worker', '30')
    .option('--quiet', 'print only problems')
    .option('--json', 'print one JSON object per event, nothing else')
    .addHelpText('after', '\nCtrl-C: stop the running trials after their batch and put them back on the queue at once, exit 130; twice: quit now (the trials go to another worker once --lock-seconds pass).\n\nExample:\n  dlx worker --queue redis://:secret@sweeps.example.org:6379 --concurrency 2')
    .action((flags: WorkerFlags) => run(async (signal) => {
      const { workerCommand } = await import('../worker-run.js');
      await workerCommand(io, flags, signal);
    }));
}
