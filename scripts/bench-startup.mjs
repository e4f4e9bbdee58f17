// `dlx --help` start-up against node's own: the median of N runs of each, interleaved so that a
// change in the machine's load hits them alike. Wall time is what a user waits; CPU time (user +
// system, from bash's `times`) is steadier when other jobs share the cores. The load average is
// printed beside the figures. Usage: node scripts/bench-startup.mjs [N [OTHER_BIN…]] (after npm
// run build); each OTHER_BIN (another checkout's bin/dlx.js) is timed alongside, for a before/after.
// Also a sweep trial process's start: forked as the coordinator forks it, from the fork to its
// first message (the answer to a job it fails at once), and its CPU until it exits.
import { fork, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 20);
const dlx = fileURLToPath(new URL('../bin/dlx.js', import.meta.url));
const quickstart = fileURLToPath(new URL('../configs/quickstart.yaml', import.meta.url));
const cases = {
  'node -e 0': ['-e', '0'],
  'dlx --help': [dlx, '--help'],
  'dlx train --help': [dlx, 'train', '--help'],
  // a command that loads its work (zod schemas, YAML, the engine's registries)
  'dlx validate': [dlx, 'validate', quickstart],
  ...Object.fromEntries(process.argv.slice(3).flatMap((bin) => [[`${bin} --help`, [bin, '--help']], [`${bin} validate`, [bin, 'validate', quickstart]]])),
};

function wallMs(args) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The children's user + system CPU time from bash's `times` (its last line). */
const childrenCpuMs = (times) => times.trim().split('\n').at(-1).match(/(\d+)m([\d.]+)s/g)
  .map((t) => { const [, m, s] = /(\d+)m([\d.]+)s/.exec(t); return (Number(m) * 60 + Number(s)) * 1000; }).reduce((a, b) => a + b, 0);

/** The child's user + system CPU time: bash's `times` reports its children's. */
function cpuMs(args) {
  return childrenCpuMs(spawnSync('bash', ['-c', '"$@" > /dev/null; times', 'bash', process.execPath, ...args], { encoding: 'utf8' }).stdout);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A checkout's trial entry: trial-entry.js (which loads the start-up bundle), else trial-child.js. */
const trialEntry = (bin) => [join(dirname(bin), '../dist/src/cli/trial-entry.js'), join(dirname(bin), '../dist/src/cli/trial-child.js')].find((f) => existsSync(f));
const trials = Object.fromEntries([dlx, ...process.argv.slice(3)].map((bin) => [`trial start (${bin === dlx ? 'this checkout' : bin})`, trialEntry(bin)]));

/** Forks a trial entry as the coordinator does (through bash, whose `times` then gives its CPU),
 * asks it to evaluate a missing run (it answers with an error and exits), and times the fork to
 * the answer. */
function trialStart(entry) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = fork(entry, [], { execPath: 'bash', execArgv: ['-c', '"$@"; times >&2', 'bash', process.execPath], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    let stderr = '';
    let wall;
    child.stderr.on('data', (d) => (stderr += d));
    child.once('message', (m) => {
      wall = Number(process.hrtime.bigint() - start) / 1e6;
      if (m.type !== 'error') reject(new Error(`${entry} answered ${m.type}`));
    });
    child.once('exit', () => resolve({ wall, cpu: childrenCpuMs(stderr) }));
    child.send({ type: 'evaluate', runDir: join(tmpdir(), 'dlx-bench-no-such-run'), split: 'test' });
  });
}

const names = [...Object.keys(cases), ...Object.keys(trials)];
const wall = Object.fromEntries(names.map((k) => [k, []]));
const cpu = Object.fromEntries(names.map((k) => [k, []]));
const before = loadavg();
for (const args of Object.values(cases)) wallMs(args); // warm the file cache
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    wall[name].push(wallMs(args));
    cpu[name].push(cpuMs(args));
  }
  for (const [name, entry] of Object.entries(trials)) {
    const t = await trialStart(entry);
    wall[name].push(t.wall);
    cpu[name].push(t.cpu);
  }
}
const after = loadavg();

const [baseWall, baseCpu] = [median(wall['node -e 0']), median(cpu['node -e 0'])];
for (const name of names) {
  const [w, c] = [median(wall[name]), median(cpu[name])];
  const over = (x, base) => (name === 'node -e 0' ? '' : ` (node + ${(x - base).toFixed(0)})`);
  console.log(`${name.padEnd(Math.max(...names.map((k) => k.length)))} wall ${w.toFixed(0)} ms${over(w, baseWall)}, CPU ${c.toFixed(0)} ms${over(c, baseCpu)}`);
}
console.log(`medians of ${runs} runs each, node ${process.version}; load average ${before.map((l) => l.toFixed(2)).join(' ')} before, ${after.map((l) => l.toFixed(2)).join(' ')} after`);
