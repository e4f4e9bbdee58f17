#!/usr/bin/env node
// What the plots cost at the end of `dlx train` (issue 11: at most a few hundred milliseconds):
// short runs of digits and of a small CSV file, each trained with plots and with --no-plots,
// the two alternating so that the machine's load drifts alike for both. Prints, per workload,
// the median wall time of the whole command with and without plots, their difference, the
// median of the paired differences, and the median wait the command itself reports
// (`plots DIR (4 SVG files, N ms)`) and the CPU time the plots add (GNU time's user + system of
// the whole process), with the load average before and after. A benchmark, not a
// test: the figures depend on the machine and on what else it runs. `--against DIR` also times,
// interleaved in the same rounds, the plots of another checkout's build (DIR/bin/dlx.js, e.g. the
// commit before a change): on a shared machine whose load drifts, only such pairs compare.
//   node scripts/bench-plots.mjs [--runs N] [--epochs 1,3] [--only digits|csv] [--against DIR]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const value = (flag, fallback) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : fallback);
const runs = Number.parseInt(value('--runs', '5'), 10);
const epochs = value('--epochs', '1,3').split(',').map(Number);
const only = value('--only', undefined);
const against = value('--against', undefined);

/** A small CSV classification file: 300 rows, 6 features, 3 classes, from a fixed formula. */
function smallCsv(dir) {
  const rows = ['f1,f2,f3,f4,f5,f6,label'];
  for (let i = 0; i < 300; i++) {
    const c = i % 3;
    const f = Array.from({ length: 6 }, (_, j) => (c * (j + 1) + Math.sin(i * 7 + j * 3) * 2).toFixed(4));
    rows.push(`${f.join(',')},class${c}`);
  }
  const csv = join(dir, 'small.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
  const spec = join(dir, 'small-csv.yaml');
  writeFileSync(spec, [
    'name: small-csv',
    'seed: 1',
    'data: {dataset: {type: csv, path: small.csv, target: label}, split: {val: 0.2}, normalize: [zscore]}',
    'model: {layers: [{type: dense, units: 16}, relu, {type: dense, units: 3}]}',
    'optimizer: {type: adam, lr: 0.01}',
    'train: {epochs: 3, batchSize: 16}',
    '',
  ].join('\n'));
  return spec;
}

/** One `dlx train`: its wall time and CPU time (user + system, all threads) in ms, and the plots' wait it printed (undefined with --no-plots). */
function train(spec, epochCount, runsDir, plots, dlx = join(root, 'bin/dlx.js')) {
  const argv = [dlx, 'train', spec, '--set', `train.epochs=${epochCount}`, '--runs-dir', runsDir, ...(plots ? [] : ['--no-plots'])];
  const timeFile = join(dirname(runsDir), 'time.txt');
  const started = performance.now();
  // GNU time reports the child's CPU time, which the machine's load disturbs less than wall time
  const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => child.on('exit', (code) => {
    const wall = performance.now() - started;
    if (code !== 0) return reject(new Error(`dlx train exited ${code}:\n${out}`));
    const m = /plots .* \(\d+ SVG files, (\d+) ms\)/.exec(out);
    if (plots && !m) return reject(new Error(`no plots line in:\n${out}`));
    const [user, system] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    resolve({ wall, cpu: 1000 * (user + system), wait: m ? Number(m[1]) : undefined });
  }));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${Math.round(x)} ms`;

const dir = mkdtempSync(join(tmpdir(), 'dlx-bench-plots-'));
try {
  const workloads = [
    ['digits', join(root, 'configs/digits.yaml')],
    ['csv', smallCsv(dir)],
  ].filter(([name]) => !only || only === name);
  for (const [name, spec] of workloads) {
    for (const e of epochs) {
      // one unmeasured run of each first: the file cache and the native kernels' load
      await train(spec, e, join(dir, 'runs'), true);
      await train(spec, e, join(dir, 'runs'), false);
      const before = loadavg()[0];
      const withPlots = [];
      const without = [];
      const other = [];
      if (against) await train(spec, e, join(dir, 'runs'), true, join(against, 'bin/dlx.js'));
      for (let i = 0; i < runs; i++) {
        withPlots.push(await train(spec, e, join(dir, 'runs'), true));
        without.push(await train(spec, e, join(dir, 'runs'), false));
        if (against) other.push(await train(spec, e, join(dir, 'runs'), true, join(against, 'bin/dlx.js')));
      }
      const after = loadavg()[0];
      const a = median(withPlots.map((r) => r.wall));
      const b = median(without.map((r) => r.wall));
      const paired = median(withPlots.map((r, i) => r.wall - without[i].wall));
      const cpu = median(withPlots.map((r) => r.cpu)) - median(without.map((r) => r.cpu));
      console.log(`${name}, ${e} epoch${e === 1 ? '' : 's'}, ${runs} runs each (load ${before.toFixed(1)} → ${after.toFixed(1)}): `
        + `wall ${ms(a)} with plots, ${ms(b)} without, difference ${ms(a - b)} (paired median ${ms(paired)}); `
        + `CPU ${ms(cpu)} more with plots; reported plots wait ${ms(median(withPlots.map((r) => r.wait)))} (${withPlots.map((r) => r.wait).join(', ')})`);
      if (against) {
        const pairedOther = median(other.map((r, i) => r.wall - without[i].wall));
        const cpuOther = median(other.map((r) => r.cpu)) - median(without.map((r) => r.cpu));
        console.log(`  ${against}: paired median ${ms(pairedOther)} more wall, CPU ${ms(cpuOther)} more; reported plots wait ${ms(median(other.map((r) => r.wait)))}`);
      }
      rmSync(join(dir, 'runs'), { recursive: true, force: true });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
