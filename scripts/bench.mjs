#!/usr/bin/env node
// dlx benchmarks (npm run bench [-- --json] [-- --epochs N] [-- --only gemm|data|workloads|sweep|queue]
// [-- --threads 1,2] [-- --backend wasm|reference] [-- --skip-cnn] [-- --seeds 25] [-- --trials 50]
// [-- --queue-workers 1,2,4]).
// Measures, it does not assert: each section runs in its own process so peak RSS is its own.
//   gemm:      float32 matrix products of the MLP's shapes, GFLOPS = 2·m·k·n / median time
//   data:      Fashion-MNIST load + split + z-score time, peak RSS (target ≤ 2 s)
//   workloads: the peer workloads (configs/fmnist-mlp.yaml, configs/fmnist-cnn.yaml) on this
//              machine: seconds per epoch (the training pass alone, curve.csv's train_seconds),
//              test accuracy, peak RSS
//   sweep:     search quality: dlx's TPE and random search on Branin and Hartmann-6, 50 trials ×
//              25 seeds (--trials, --seeds), beside Optuna 3.1's samplers (scripts/bench-sweep.mjs,
//              bench/optuna_peer.py)
//   queue:     a 24-trial digits sweep on 1, 2, 4 `dlx worker` processes through one local Redis:
//              trials per minute and the queue's own cost per trial (scripts/bench-queue.mjs); only
//              with --only queue (it needs redis-server)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSweepSearch, sweepSearchBench } from './bench-sweep.mjs';
import { formatQueueBench, queueBench } from './bench-queue.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const mb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function dataSection() {
  const { parseSpec } = await import(join(root, 'dist/src/config/load.js'));
  const { build } = await import(join(root, 'dist/src/run/build.js'));
  const file = join(root, 'configs/fmnist-mlp.yaml');
  const spec = parseSpec(file, readFileSync(file, 'utf8')).resolved;
  const started = performance.now();
  const built = await build(spec, file, { backend: 'reference' });
  const loadSeconds = (performance.now() - started) / 1000;
  return { name: 'fashion-mnist', rows: built.data.train.y.length + built.data.val.y.length + built.data.test.y.length, loadSeconds, peakRssMb: mb() };
}

// m, k, n, transA, transB: the forward product and the two backward forms of dense 784→200
const gemmShapes = [[128, 784, 200, false, false], [32, 784, 200, false, false], [512, 512, 512, false, false],
  [784, 128, 200, true, false], [128, 200, 784, false, true]];

async function gemmSection(threads) {
  const { loadBackend } = await import(join(root, 'dist/src/engine/backends.js'));
  const backend = await loadBackend(value('--backend', 'wasm'), threads);
  const rows = [];
  for (const [m, k, n, transA, transB] of gemmShapes) {
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const out = new Float32Array(m * n);
    const flops = 2 * m * k * n;
    const reps = Math.max(3, Math.ceil(2e8 / flops));
    const times = [];
    for (let trial = 0; trial < 7; trial++) {
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) backend.matmul(a, b, out, { m, k, n, transA, transB });
      times.push((performance.now() - t0) / reps / 1000);
    }
    const median = times.sort((x, y) => x - y)[3];
    rows.push({ m, k, n, transA, transB, threads: backend.threads, kernels: backend.variant, gflops: Math.round(flops / median / 1e8) / 10 });
  }
  return rows;
}

function workload(name, config, epochs, threads) {
  const runs = mkdtempSync(join(tmpdir(), 'dlx-bench-'));
  try {
    const sets = ['--set', 'train.test=true', ...(epochs ? ['--set', `train.epochs=${epochs}`] : [])];
    const compute = ['--backend', value('--backend', 'wasm'), '--threads', String(threads)];
    const child = spawnSync(process.execPath, [join(root, 'scripts/bench.mjs'), '--section', 'train', config, runs, ...sets, ...compute], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
    const { peakRssMb } = JSON.parse(child.stdout.trim().split('\n').pop());
    const run = join(runs, readdirSync(runs)[0]);
    const folder = join(run, readdirSync(run)[0]);
    const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8'));
    const [header, ...lines] = readFileSync(join(folder, 'curve.csv'), 'utf8').trim().split('\n');
    const rows = lines.map((l) => l.split(','));
    // the training pass alone, as the PyTorch peer times an epoch (validation excluded)
    const seconds = rows.map((r) => Number(r[header.split(',').indexOf('train_seconds')]));
    const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)];
    const env = JSON.parse(readFileSync(join(folder, 'env.json'), 'utf8'));
    return { name, threads: env.threads, backend: env.backend, kernels: env.kernels, epochs: rows.length, epochSeconds: median, testAccuracy: metrics.test.accuracy, peakRssMb };
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

if (value('--section') === 'gemm') {
  console.log(JSON.stringify(await gemmSection(Number(value('--threads', '1')))));
  process.exit(0); // the kernel threads are unref'ed, but say it plainly
} else if (value('--section') === 'data') {
  console.log(JSON.stringify(await dataSection()));
} else if (value('--section') === 'train') {
  const i = args.indexOf('--section');
  const [config, runs, ...rest] = args.slice(i + 2);
  const { main } = await import(join(root, 'dist/src/cli/main.js'));
  const code = await main(['train', config, '--runs-dir', runs, '--quiet', ...rest]);
  console.log(JSON.stringify({ peakRssMb: mb() }));
  process.exitCode = code;
} else {
  const only = value('--only');
  const epochs = value('--epochs');
  const threadCounts = value('--threads', '1,2').split(',').map(Number);
  const result = { gemm: [], data: [], workloads: [], sweep: null, queue: null };
  if (!only || only === 'gemm') {
    for (const threads of threadCounts) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--section', 'gemm', '--threads', String(threads), '--backend', value('--backend', 'wasm')], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      result.gemm.push(...JSON.parse(child.stdout));
    }
  }
  if (!only || only === 'data') {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--section', 'data'], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    result.data.push(JSON.parse(child.stdout));
  }
  if (!only || only === 'workloads') {
    for (const threads of threadCounts) {
      result.workloads.push(workload('fmnist-mlp-adam', join(root, 'configs/fmnist-mlp.yaml'), epochs, threads));
      if (!flag('--skip-cnn')) result.workloads.push(workload('fmnist-cnn', join(root, 'configs/fmnist-cnn.yaml'), epochs, threads));
    }
  }
  if (!only || only === 'sweep') {
    result.sweep = { search: await sweepSearchBench({ trials: Number(value('--trials', '50')), seeds: Number(value('--seeds', '25')) }) };
  }
  if (only === 'queue') {
    result.queue = await queueBench({ trials: Number(value('--trials', '24')), workerCounts: value('--queue-workers', '1,2,4').split(',').map(Number) });
  }
  if (flag('--json')) console.log(JSON.stringify(result));
  else {
    for (const g of result.gemm) {
      const form = `${g.transA ? 'Aᵀ' : 'A'}·${g.transB ? 'Bᵀ' : 'B'}`;
      console.log(`gemm      ${`${g.m}×${g.k}×${g.n} ${form}`.padEnd(20)} ${g.threads} thread${g.threads > 1 ? 's' : ' '} ${String(g.gflops).padStart(6)} GFLOPS (${g.kernels})`);
    }
    for (const d of result.data) console.log(`data      ${d.name.padEnd(16)} load ${d.loadSeconds.toFixed(2)} s   peak RSS ${d.peakRssMb} MB`);
    for (const w of result.workloads) {
      console.log(`workload  ${w.name.padEnd(16)} ${w.backend} (${w.kernels}), ${w.threads} thread${w.threads > 1 ? 's' : ''}: ${w.epochSeconds.toFixed(2)} s/epoch over ${w.epochs} epochs, test ${(100 * w.testAccuracy).toFixed(2)} %, peak RSS ${w.peakRssMb} MB`);
    }
    if (result.sweep) for (const line of formatSweepSearch(result.sweep.search)) console.log(line);
    if (result.queue) for (const line of formatQueueBench(result.queue)) console.log(line);
  }
}
