#!/usr/bin/env node
// dlx benchmarks (npm run bench [-- --json] [-- --epochs N] [-- --only gemm|data|workloads|sweep|queue]
// [-- --threads 1,2] [-- --backend native,wasm] [-- --skip-cnn] [-- --skip-big] [-- --peer] [-- --seeds 25] [-- --trials 50]
// [-- --queue-workers 1,2,4]).
// --backend: a comma list, default native (when built) and wasm, side by side.
// --peer: the PyTorch peer (../shared/peers) in the same sitting, each of its runs right after
// dlx's for the same workload: OMP_WAIT_POLICY=PASSIVE, and any OPENBLAS_CORETYPE /
// OPENBLAS_L2_SIZE pin of this environment lifted in the peer's command alone, so OpenBLAS picks
// its kernel for this CPU (the one it picked is reported: `openblas` in the JSON).
// Measures, it does not assert: each section runs in its own process so peak RSS is its own.
//   gemm:      float32 matrix products of the MLP's shapes, GFLOPS = 2·m·k·n / median time of
//              single calls (timed as the peer's gemm.py), and of the best call
//   data:      Fashion-MNIST load + split + z-score time, peak RSS (target ≤ 2 s)
//   workloads: the peer workloads (configs/fmnist-mlp.yaml, fmnist-mlp-big.yaml, fmnist-cnn.yaml) on this
//              machine: seconds per epoch (the training pass alone, curve.csv's train_seconds),
//              test accuracy, peak RSS
//   sweep:     search quality: dlx's TPE and random search on Branin and Hartmann-6, 50 trials ×
//              25 seeds (--trials, --seeds), beside Optuna 3.1's samplers (scripts/bench-sweep.mjs,
//              bench/optuna_peer.py); throughput of a 12-trial digits sweep on 1 worker × 1 and
//              2 threads and 2 workers × 1 thread (10, 50 and 200 epochs a trial; wall and CPU), and the per-trial overhead (scripts/bench-throughput.mjs)
//   queue:     a 24-trial digits sweep on 1, 2, 4 `dlx worker` processes through one local Redis:
//              trials per minute and the queue's own cost per trial (scripts/bench-queue.mjs); only
//              with --only queue (it needs redis-server)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatSweepSearch, sweepSearchBench } from './bench-sweep.mjs';
import { formatThroughput, throughputBench } from './bench-throughput.mjs';
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
  const { configureNative } = await import(join(root, 'dist/src/engine/native/addon.js'));
  // native-avx2: the AVX2+FMA build on a CPU that has AVX-512 too
  const [name, isa] = value('--backend', 'wasm').split(',')[0].split('-');
  configureNative({ isa });
  const backend = await loadBackend(name, threads);
  const rows = [];
  for (const [m, k, n, transA, transB] of gemmShapes) {
    const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const out = new Float32Array(m * n);
    const flops = 2 * m * k * n;
    // timed as ../shared/peers/gemm.py times torch.mm: ≥ 0.3 s of warm-up, then single calls,
    // ≥ 30 of them and ≥ 0.5 s; the median call (and the best, for an oversubscribed machine)
    const call = () => backend.matmul(a, b, out, { m, k, n, transA, transB });
    for (let end = performance.now() + 300, w = 0; w < 10 || performance.now() < end; w++) call();
    const times = [];
    for (const end = performance.now() + 500; times.length < 30 || (performance.now() < end && times.length < 20000);) {
      const t0 = performance.now();
      call();
      times.push((performance.now() - t0) / 1000);
    }
    times.sort((x, y) => x - y);
    const median = times[Math.floor(times.length / 2)];
    rows.push({ m, k, n, transA, transB, threads: backend.threads, kernels: backend.variant, gflops: Math.round(flops / median / 1e8) / 10,
      gflopsBest: Math.round(flops / times[0] / 1e8) / 10 });
  }
  return rows;
}

function workload(name, config, epochs, threads, backend) {
  const runs = mkdtempSync(join(tmpdir(), 'dlx-bench-'));
  try {
    const sets = ['--set', 'train.test=true', ...(epochs ? ['--set', `train.epochs=${epochs}`] : [])];
    const compute = ['--backend', backend, '--threads', String(threads)];
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
    // the median as the peer's statistics.median takes it: an even count averages the middle two
    // (over 2 epochs, their mean; the upper one alone, as before, was the slower first epoch)
    const sorted = [...seconds].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    const env = JSON.parse(readFileSync(join(folder, 'env.json'), 'utf8'));
    return { name, threads: env.threads, backend: env.backend, kernels: env.kernels, epochs: rows.length, epochSeconds: median, testAccuracy: metrics.test.accuracy, peakRssMb };
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

// The PyTorch peer (../shared/peers/README.md): same workloads, same thread count.
const peers = join(root, '..', 'shared', 'peers');
const peerScripts = { 'fmnist-mlp-adam': 'fmnist_mlp_adam.py', 'fmnist-mlp-big': 'fmnist_mlp_big.py', 'fmnist-cnn': 'fmnist_cnn.py' };

function peer(script, args) {
  const env = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE', OPENBLAS_VERBOSE: '2' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const child = spawnSync('/usr/bin/python3', [join(peers, script), ...args], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  if (child.status !== 0) throw new Error(`${script}: ${child.stderr}`);
  const openblas = /Core: (\w+)/.exec(child.stdout + child.stderr)?.[1];
  const lines = child.stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  return { openblas, results: lines.map((l) => JSON.parse(l)) };
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
  const { nativeAddon } = await import(join(root, 'dist/src/engine/native/addon.js'));
  const backends = value('--backend', `${'addon' in nativeAddon() ? 'native,' : ''}wasm`).split(',');
  const withPeer = flag('--peer') && existsSync(peers);
  const result = { gemm: [], data: [], workloads: [], peer: { gemm: [], workloads: [] }, sweep: null, queue: null };
  if (!only || only === 'gemm') {
    for (const threads of threadCounts) {
      for (const backend of backends) {
        const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--section', 'gemm', '--threads', String(threads), '--backend', backend], { encoding: 'utf8' });
        if (child.status !== 0) throw new Error(child.stderr);
        result.gemm.push(...JSON.parse(child.stdout).map((r) => ({ backend, ...r })));
      }
      if (withPeer) {
        const { openblas, results } = peer('gemm.py', ['--threads', String(threads), '--min-time', '0.5']);
        for (const r of results.flatMap((x) => x.results ?? [])) {
          result.peer.gemm.push({ m: r.M, k: r.K, n: r.N, layout: r.layout ?? 'nn', threads, openblas, gflops: Math.round(r.gflops_median * 10) / 10,
            gflopsBest: Math.round(r.gflops_best * 10) / 10 });
        }
      }
    }
  }
  if (!only || only === 'data') {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--section', 'data'], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    result.data.push(JSON.parse(child.stdout));
  }
  if (!only || only === 'workloads') {
    const workloads = [['fmnist-mlp-adam', 'fmnist-mlp.yaml'], ...(flag('--skip-big') ? [] : [['fmnist-mlp-big', 'fmnist-mlp-big.yaml']]),
      ...(flag('--skip-cnn') ? [] : [['fmnist-cnn', 'fmnist-cnn.yaml']])];
    for (const threads of threadCounts) {
      for (const [name, config] of workloads) {
        for (const backend of backends) result.workloads.push(workload(name, join(root, 'configs', config), epochs, threads, backend));
        if (withPeer) {
          const { openblas, results } = peer(peerScripts[name], ['--threads', String(threads), '--seed', '1', ...(epochs ? ['--epochs', epochs] : [])]);
          for (const r of results) result.peer.workloads.push({ name, threads, openblas, epochSeconds: r.median_epoch_s, testAccuracy: r.test_acc });
        }
      }
    }
  }
  if (!only || only === 'sweep') {
    result.sweep = { search: await sweepSearchBench({ trials: Number(value('--trials', '50')), seeds: Number(value('--seeds', '25')) }), throughput: await throughputBench() };
  }
  if (only === 'queue') {
    result.queue = await queueBench({ trials: Number(value('--trials', '24')), workerCounts: value('--queue-workers', '1,2,4').split(',').map(Number) });
  }
  if (flag('--json')) console.log(JSON.stringify(result));
  else {
    for (const g of result.gemm) {
      const form = `${g.transA ? 'Aᵀ' : 'A'}·${g.transB ? 'Bᵀ' : 'B'}`;
      console.log(`gemm      ${`${g.m}×${g.k}×${g.n} ${form}`.padEnd(20)} ${g.threads} thread${g.threads > 1 ? 's' : ' '} ${String(g.gflops).padStart(6)} GFLOPS (${g.backend}, ${g.kernels})`);
    }
    for (const g of result.peer.gemm) {
      console.log(`peer gemm ${`${g.m}×${g.k}×${g.n} ${g.layout}`.padEnd(20)} ${g.threads} thread${g.threads > 1 ? 's' : ' '} ${String(g.gflops).padStart(6)} GFLOPS (PyTorch, OpenBLAS ${g.openblas ?? '?'})`);
    }
    for (const d of result.data) console.log(`data      ${d.name.padEnd(16)} load ${d.loadSeconds.toFixed(2)} s   peak RSS ${d.peakRssMb} MB`);
    for (const w of result.workloads) {
      console.log(`workload  ${w.name.padEnd(16)} ${w.backend} (${w.kernels}), ${w.threads} thread${w.threads > 1 ? 's' : ''}: ${w.epochSeconds.toFixed(2)} s/epoch over ${w.epochs} epochs, test ${(100 * w.testAccuracy).toFixed(2)} %, peak RSS ${w.peakRssMb} MB`);
    }
    for (const w of result.peer.workloads) {
      console.log(`peer      ${w.name.padEnd(16)} PyTorch (OpenBLAS ${w.openblas ?? '?'}), ${w.threads} thread${w.threads > 1 ? 's' : ''}: ${Number(w.epochSeconds).toFixed(2)} s/epoch, test ${(100 * w.testAccuracy).toFixed(2)} %`);
    }
    if (result.sweep) for (const line of [...formatSweepSearch(result.sweep.search), ...formatThroughput(result.sweep.throughput)]) console.log(line);
    if (result.queue) for (const line of formatQueueBench(result.queue)) console.log(line);
  }
}
