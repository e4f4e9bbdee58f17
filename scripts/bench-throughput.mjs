// Sweep throughput (a part of `npm run bench -- --only sweep`): the 12-trial digits sweep of
// configs/sweep-random.yaml run serially on 1 thread, as 1 worker × 2 threads and as 2 workers ×
// 1 thread; wall time, trials per minute, speed-up over the serial sweep, and the per-trial
// overhead of the serial sweep: (wall − Σ trial epochs' seconds) / trials — spawning the trial's
// process, loading the data, building the model, the journal and summary writes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

function sweepOnce(workers, threads) {
  const runs = mkdtempSync(join(tmpdir(), 'dlx-bench-sweep-'));
  try {
    const started = performance.now();
    const r = spawnSync(process.execPath, [join(root, 'bin/dlx.js'), 'sweep', join(root, 'configs/sweep-random.yaml'), '--runs-dir', runs, '--workers', String(workers), '--threads', String(threads), '--quiet'], { encoding: 'utf8' });
    const wall = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(r.stderr);
    const dir = join(runs, 'sweep-random', readdirSync(join(runs, 'sweep-random'))[0]);
    const trials = readdirSync(join(dir, 'trials'));
    let trainSeconds = 0;
    for (const t of trials) {
      const rows = readFileSync(join(dir, 'trials', t, 'curve.csv'), 'utf8').trim().split('\n');
      const at = rows[0].split(',').indexOf('seconds');
      for (const row of rows.slice(1)) trainSeconds += Number(row.split(',')[at]);
    }
    return { workers, threads, trials: trials.length, wallSeconds: wall, trialsPerMinute: (60 * trials.length) / wall, trainSeconds };
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

export function throughputBench() {
  const serial = sweepOnce(1, 1);
  const rows = [serial, sweepOnce(1, 2), sweepOnce(2, 1)].map((r) => ({ ...r, speedup: serial.wallSeconds / r.wallSeconds }));
  return { rows, overheadPerTrialSeconds: (serial.wallSeconds - serial.trainSeconds) / serial.trials };
}

export function formatThroughput(t) {
  return [
    ...t.rows.map((r) => `sweep     digits, 12 trials, ${r.workers} worker${r.workers > 1 ? 's' : ' '} × ${r.threads} thread${r.threads > 1 ? 's' : ' '}: ${r.wallSeconds.toFixed(1)} s, ${r.trialsPerMinute.toFixed(1)} trials/min, ${r.speedup.toFixed(2)}× the serial sweep`),
    `sweep     per-trial overhead (serial sweep: spawn, data load, build, journal): ${t.overheadPerTrialSeconds.toFixed(3)} s`,
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t = throughputBench();
  if (process.argv.includes('--json')) console.log(JSON.stringify(t));
  else for (const line of formatThroughput(t)) console.log(line);
}
