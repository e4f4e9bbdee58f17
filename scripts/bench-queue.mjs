// The queue benchmark (a measurement, not a test): a 24-trial random sweep on digits through one
// local redis-server (persistence off), on 1, 2 and 4 `dlx worker` processes (one trial each,
// --workers = the worker count, so a trial is queued only when a worker is free). Reports trials
// per minute and the queue's own cost per trial: enqueue → a worker starts it (`queuedMs`), and
// the worker's trial process ending → the trial in the coordinator's journal (`deliveredMs`:
// packing the files, Redis, writing them into trials/<n>/, the journal line), with the machine's
// load average beside them.
// `npm run bench -- --only queue [--trials 24] [--queue-workers 1,2,4]`; alone: node scripts/bench-queue.mjs [--json]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dlx = join(root, 'bin/dlx.js');

const spec = (trials, epochs = 5) => `name: queue-bench
seed: 7
data:
  dataset: digits
  split: {val: 0.2, stratify: true}
  normalize: [minmax]
model:
  layers:
    - {type: dense, units: 64, init: he-normal}
    - relu
    - {type: dense, units: 10}
optimizer: {type: adam, lr: 0.001}
train: {epochs: ${epochs}, batchSize: 64}
sweep:
  method: random
  trials: ${trials}
  metric: val_acc
  params:
    optimizer.lr: {log-uniform: [1.0e-4, 1.0e-2]}
    model.layers.0.units: {int: [16, 128], step: 16}
`;

const freePort = () => new Promise((done) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => done(port));
  });
});

function start(args, onEvent) {
  const child = spawn(process.execPath, [dlx, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let rest = '';
  let err = '';
  child.stdout.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    for (const l of lines) {
      try {
        onEvent?.(JSON.parse(l));
      } catch { /* not JSON */ }
    }
  });
  child.stderr.on('data', (d) => (err += d));
  const exit = new Promise((r) => child.once('exit', (code) => r(code)));
  return { child, exit, stderr: () => err };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function queueBench({ trials = 24, workerCounts = [1, 2, 4], epochs = 5 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dlx-bench-queue-'));
  const file = join(dir, 'sweep.yaml');
  writeFileSync(file, spec(trials, epochs));
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const url = `redis://127.0.0.1:${port}`;
  const rows = [];
  try {
    for (const n of workerCounts) {
      const workers = Array.from({ length: n }, () => start(['worker', '--queue', url, '--threads', '1', '--quiet']));
      await new Promise((r) => setTimeout(r, 1500)); // the workers' start-up is not the queue's
      const queued = [];
      const delivered = [];
      const files = [];
      const loadBefore = loadavg()[0];
      const t0 = performance.now();
      const c = start(['sweep', file, '--runs-dir', join(dir, `runs-${n}`), '--workers', String(n), '--queue', url, '--json'], (e) => {
        if (e.event === 'trial-taken' && typeof e.queuedMs === 'number') queued.push(e.queuedMs);
        if (e.event === 'trial-delivered') {
          delivered.push(e.deliveredMs);
          files.push(e.filesMs);
        }
      });
      const code = await c.exit;
      const seconds = (performance.now() - t0) / 1000;
      for (const w of workers) w.child.kill('SIGINT');
      await Promise.all(workers.map((w) => w.exit));
      if (code !== 0) throw new Error(`the sweep on ${n} workers failed: ${c.stderr()}`);
      rows.push({
        workers: n, trials, epochs, seconds, trialsPerMinute: (60 * trials) / seconds,
        // the machine's 1-minute load average before and after: these figures are only as quiet as it was
        load: [loadBefore, loadavg()[0]],
        queuedMsMedian: median(queued), queuedMsMean: mean(queued), filesMsMedian: median(files), deliveredMsMedian: median(delivered), deliveredMsMean: mean(delivered),
      });
    }
  } finally {
    redis.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export function formatQueueBench(rows) {
  return rows.map((r) => `queue     ${r.trials} digits trials (${r.epochs} epochs) on ${r.workers} worker${r.workers > 1 ? 's' : ' '}: ${r.trialsPerMinute.toFixed(1)} trials/min (${r.seconds.toFixed(1)} s); queue cost per trial: enqueue→start ${r.queuedMsMedian.toFixed(0)} ms median (${r.queuedMsMean.toFixed(0)} mean), finish→files in trials/<n> ${r.filesMsMedian.toFixed(0)} ms median, finish→journal and summary.csv ${r.deliveredMsMedian.toFixed(0)} ms median (${r.deliveredMsMean.toFixed(0)} mean); load average ${r.load.map((l) => l.toFixed(1)).join(' → ')}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
  const rows = await queueBench({ trials: Number(value('--trials', '24')), workerCounts: value('--queue-workers', '1,2,4').split(',').map(Number), epochs: Number(value('--epochs', '5')) });
  if (args.includes('--json')) console.log(JSON.stringify(rows));
  else for (const l of formatQueueBench(rows)) console.log(l);
}
