// Sweep throughput (a part of `npm run bench -- --only sweep`): the 12-trial digits sweep of
// configs/sweep-random.yaml run serially on 1 thread, as 1 worker × 2 threads and as 2 workers ×
// 1 thread, in reused processes (the default) and with a fresh process per trial; wall time,
// trials per minute and speed-up over the serial sweep of the same kind. Each is the median of --repeat N
// sweeps (default 3), the kinds taking turns. The sweep's --json
// events are timed as they arrive, which splits the serial sweep's wall time into
// - the sweep's fixed cost: start-up before the first trial, and the end after the last one
//   (the best trial's test split, the sweep's plots, best.json);
// - per trial: (last trial's end − first trial's start − Σ epochs' training seconds) / trials —
//   the trial's process, loading the data, building the model, its run folder's writes
//   (per-epoch checkpoints included), the journal and summary.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

async function sweepOnce(workers, threads, processes, epochs) {
  const runs = mkdtempSync(join(tmpdir(), 'dlx-bench-sweep-'));
  try {
    const started = performance.now();
    // through bash, whose `times` gives the CPU of the sweep and its trial processes (user + system)
    const args = [process.execPath, join(root, 'bin/dlx.js'), 'sweep', join(root, 'configs/sweep-random.yaml'), '--runs-dir', runs, '--workers', String(workers), '--threads', String(threads), '--set', `sweep.processes=${processes}`, ...(epochs ? ['--set', `train.epochs=${epochs}`] : []), '--json'];
    const child = spawn('bash', ['-c', '"$@"; code=$?; times; exit $code', 'bash', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const at = { start: [], end: [] };
    const times = [];
    for await (const line of createInterface({ input: child.stdout })) {
      if (!line.startsWith('{')) {
        times.push(line);
        continue;
      }
      const e = JSON.parse(line);
      if (e.event === 'trial-start') at.start.push(performance.now());
      if (e.event === 'trial-end') at.end.push(performance.now());
    }
    const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
    const wall = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(stderr);
    const dir = join(runs, 'sweep-random', readdirSync(join(runs, 'sweep-random'))[0]);
    const trials = readdirSync(join(dir, 'trials'));
    let trainSeconds = 0;
    for (const t of trials) {
      const rows = readFileSync(join(dir, 'trials', t, 'curve.csv'), 'utf8').trim().split('\n');
      const at = rows[0].split(',').indexOf('seconds');
      for (const row of rows.slice(1)) trainSeconds += Number(row.split(',')[at]);
    }
    const first = Math.min(...at.start);
    const last = Math.max(...at.end);
    // `times`' second line: the children's user and system time
    const cpuSeconds = [...(times.at(-1) ?? '').matchAll(/(\d+)m([\d.]+)s/g)].reduce((a, m) => a + Number(m[1]) * 60 + Number(m[2]), 0);
    return {
      workers, threads, processes, trials: trials.length, wallSeconds: wall, cpuSeconds, trialsPerMinute: (60 * trials.length) / wall, trainSeconds,
      fixedSeconds: wall - (last - first) / 1000, trialsSeconds: (last - first) / 1000,
    };
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

/** The median of `repeat` sweeps of one kind, run in turn with the others' (one at a time), so that a busy moment of the machine does not land on one kind only. */
const repeat = Number(process.argv.includes('--repeat') ? process.argv[process.argv.indexOf('--repeat') + 1] : 3);
const median = (rows) => [...rows].sort((a, b) => a.wallSeconds - b.wallSeconds)[Math.floor(rows.length / 2)];

async function kind(processes, epochs) {
  const runs = [[], [], []];
  for (let i = 0; i < repeat; i++) {
    runs[0].push(await sweepOnce(1, 1, processes, epochs));
    runs[1].push(await sweepOnce(1, 2, processes, epochs));
    runs[2].push(await sweepOnce(2, 1, processes, epochs));
  }
  const serial = median(runs[0]);
  const rows = runs.map(median).map((r, i) => ({ ...r, speedup: serial.wallSeconds / r.wallSeconds, walls: runs[i].map((x) => Number(x.wallSeconds.toFixed(2))) }));
  return {
    processes,
    epochs: epochs ?? 10,
    rows,
    overheadPerTrialSeconds: (serial.trialsSeconds - serial.trainSeconds) / serial.trials,
    trainPerTrialSeconds: serial.trainSeconds / serial.trials,
    fixedSeconds: serial.fixedSeconds,
  };
}

/**
 * The config as shipped (10 epochs a trial) in reused and in fresh processes, and its trials 5×
 * and 20× longer (50 and 200 epochs): the sweep's fixed cost and a trial's overhead weigh less as
 * trials grow. CPU is the sweep's with its trial processes: on 2 cores, what the coordinator, the
 * plot worker and V8's background threads take comes out of the second worker's core.
 */
export async function throughputBench(kinds = ['reuse', 'fresh', 'longer', 'longest']) {
  const run = { reuse: () => kind('reuse'), fresh: () => kind('fresh'), longer: () => kind('reuse', 50), longest: () => kind('reuse', 200) };
  const unknown = kinds.filter((k) => !(k in run));
  if (unknown.length > 0) throw new Error(`--kinds: unknown ${unknown.join(', ')}; expected some of ${Object.keys(run).join(', ')}`);
  const out = {};
  for (const k of kinds) out[k] = await run[k]();
  return out;
}

export function formatThroughput(all) {
  return [all.reuse, all.fresh, all.longer, all.longest].filter(Boolean).flatMap((t) => [
    ...t.rows.map((r) => `sweep     digits, 12 trials × ${t.epochs} epochs, ${t.processes.padEnd(5)} processes, ${r.workers} worker${r.workers > 1 ? 's' : ' '} × ${r.threads} thread${r.threads > 1 ? 's' : ' '}: ${r.wallSeconds.toFixed(1)} s (median of ${r.walls.join(', ')}), CPU ${r.cpuSeconds.toFixed(1)} s, ${r.trialsPerMinute.toFixed(1)} trials/min, ${r.speedup.toFixed(2)}× the serial sweep`),
    `sweep     ${t.epochs} epochs, ${t.processes} processes, serial sweep, per trial: ${t.trainPerTrialSeconds.toFixed(3)} s training, ${t.overheadPerTrialSeconds.toFixed(3)} s overhead (process, data load, build, run folder and journal writes); fixed: ${t.fixedSeconds.toFixed(2)} s (start-up, test split, plots)`,
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // --kinds reuse,fresh,longer,longest (default all)
  const t = await throughputBench(process.argv.includes('--kinds') ? String(process.argv[process.argv.indexOf('--kinds') + 1]).split(',') : undefined).catch((e) => {
    console.error(`bench-throughput: ${e.message}`);
    process.exit(2);
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify(t));
  else for (const line of formatThroughput(t)) console.log(line);
}
