#!/usr/bin/env node
// dlx benchmarks (npm run bench [-- --json] [-- --epochs N] [-- --only data|workloads]).
// Measures, it does not assert: each section runs in its own process so peak RSS is its own.
//   data:      Fashion-MNIST load + split + z-score time, peak RSS (target ≤ 2 s)
//   workloads: the peer workloads (configs/fmnist-mlp.yaml, configs/fmnist-cnn.yaml) on this
//              machine: seconds per epoch (training pass only), test accuracy, peak RSS
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  const built = await build(spec, file, 'reference');
  const loadSeconds = (performance.now() - started) / 1000;
  return { name: 'fashion-mnist', rows: built.data.train.y.length + built.data.val.y.length + built.data.test.y.length, loadSeconds, peakRssMb: mb() };
}

function workload(name, config, epochs) {
  const runs = mkdtempSync(join(tmpdir(), 'dlx-bench-'));
  try {
    const sets = ['--set', 'train.test=true', ...(epochs ? ['--set', `train.epochs=${epochs}`] : [])];
    const child = spawnSync(process.execPath, [join(root, 'scripts/bench.mjs'), '--section', 'train', config, runs, ...sets], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
    const { peakRssMb } = JSON.parse(child.stdout.trim().split('\n').pop());
    const run = join(runs, readdirSync(runs)[0]);
    const folder = join(run, readdirSync(run)[0]);
    const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8'));
    const rows = readFileSync(join(folder, 'curve.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const seconds = rows.map((r) => Number(r[r.length - 1]));
    const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)];
    return { name, threads: 1, backend: 'reference', epochs: rows.length, epochSeconds: median, testAccuracy: metrics.test.accuracy, peakRssMb };
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

if (value('--section') === 'data') {
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
  const result = { data: [], workloads: [] };
  if (!only || only === 'data') {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--section', 'data'], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    result.data.push(JSON.parse(child.stdout));
  }
  if (!only || only === 'workloads') {
    result.workloads.push(workload('fmnist-mlp-adam', join(root, 'configs/fmnist-mlp.yaml'), epochs));
    if (!flag('--skip-cnn')) result.workloads.push(workload('fmnist-cnn', join(root, 'configs/fmnist-cnn.yaml'), epochs));
  }
  if (flag('--json')) console.log(JSON.stringify(result));
  else {
    for (const d of result.data) console.log(`data      ${d.name.padEnd(16)} load ${d.loadSeconds.toFixed(2)} s   peak RSS ${d.peakRssMb} MB`);
    for (const w of result.workloads) {
      console.log(`workload  ${w.name.padEnd(16)} ${w.backend}, ${w.threads} thread: ${w.epochSeconds.toFixed(2)} s/epoch over ${w.epochs} epochs, test ${(100 * w.testAccuracy).toFixed(2)} %, peak RSS ${w.peakRssMb} MB`);
    }
  }
}
