// More queue sweeps end to end, with real parts (a redis-server on a loopback port, started
// here and stopped by its pid; dlx workers and coordinators as processes; real SIGINT): TPE and
// k-fold sweeps equal their local sweeps; a worker whose built-in dataset differs fails the
// trial naming the file; a worker stopped with Ctrl-C mid-trial puts it back and exits 130.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { dlx, root, tempDir } from './helpers.js';
import { mlpSpec } from './specs.js';
import { dlxProcess, freePort, startRedis, type Proc, type RedisServer } from './queue-helpers.js';

const password = 'pa55-queue-more';
const dir = tempDir('dlx-queue-more-');
const base = (name: string, epochs: number) => mlpSpec({ name, seed: 11, dataset: 'iris', epochs, batchSize: 16, units: 8 });
const specFile = (name: string, text: string) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
};
// TPE's suggestions past its startup trials depend on the ended trials ≤ n − W: 2 workers
const tpe = specFile('qtpe', base('qtpe', 8) + `sweep:
  method: tpe
  trials: 6
  metric: val_loss
  tpe: {startupTrials: 2}
  params:
    optimizer.lr: {log-uniform: [0.001, 0.5]}
    model.layers.0.units: {int: [4, 16], step: 4}
`);
const kfold = specFile('qfold', base('qfold', 8) + `sweep:
  method: grid
  metric: val_acc
  folds: 3
  params:
    optimizer.lr: {grid: [0.03, 0.3]}
`);
// long enough for a Ctrl-C to land mid-trial (digits: each epoch is many batches, a few seconds in all)
const slow = specFile('qslow', mlpSpec({ name: 'qslow', seed: 11, dataset: 'digits', epochs: 400, batchSize: 16, units: 32 }) + `sweep:
  method: grid
  metric: val_acc
  params:
    optimizer.lr: {grid: [0.05, 0.1]}
`);

let port = 0;
let url = '';
let redis: RedisServer;
const procs: Proc[] = [];
const worker = (extra: string[] = [], install = root) => {
  const w = dlxProcess(['worker', '--queue', url, '--json', '--threads', '1', ...extra], install);
  procs.push(w);
  return w;
};
/** Ctrl-C, then the exit code. */
const stop = async (w: Proc) => {
  w.child.kill('SIGINT');
  return w.exit;
};
const coordinator = (args: string[]) => {
  const c = dlxProcess([...args, '--queue', url, '--json']);
  procs.push(c);
  return c;
};
const locals = new Map<string, string>();
const local = (spec: string, workers: number) => locals.get(`${spec}/${workers}`) ?? locals.set(`${spec}/${workers}`, localSweep(spec, workers)).get(`${spec}/${workers}`)!;
const localSweep = (spec: string, workers: number) => {
  const r = dlx(['sweep', spec, '--runs-dir', join(dir, `local-${workers}`), '--workers', String(workers), '--json']);
  assert.equal(r.code, 0, r.stderr);
  return String(JSON.parse(r.stdout.trim().split('\n').pop()!).sweepDir);
};
const sweepDir = (c: Proc) => String(c.events.find((e) => e.event === 'sweep-start')!.sweepDir);

function files(d: string): string[] {
  return readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(d, join(e.parentPath, e.name))).sort();
}
/** summary.csv without its seconds column. */
const summary = (d: string) => readFileSync(join(d, 'summary.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -1).join(','));
/** Every trial file as a local sweep left it: checkpoints byte for byte, the rest but times and env.json. */
function assertLikeLocal(d: string, baseline: string): void {
  assert.deepEqual(summary(d), summary(baseline));
  const names = files(join(d, 'trials'));
  assert.deepEqual(names, files(join(baseline, 'trials')));
  for (const f of names.filter((n) => !n.endsWith('env.json'))) {
    const [mine, theirs] = [readFileSync(join(d, 'trials', f)), readFileSync(join(baseline, 'trials', f))];
    if (f.endsWith('.safetensors')) assert.ok(mine.equals(theirs), `trials/${f} differs`);
    else {
      const text = (b: Buffer) => b.toString('utf8').replace(/,[0-9.e-]+,[0-9.e-]+$/gm, '').replace(/"(train_)?seconds": [0-9.e-]+/g, '');
      assert.equal(text(mine), text(theirs), `trials/${f}`);
    }
  }
  const ended = readFileSync(join(d, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'ended');
  assert.equal(ended.length, new Set(ended.map((e) => e.trial)).size, 'each trial recorded once');
}

before(async () => {
  port = await freePort();
  url = `redis://:${password}@127.0.0.1:${port}`;
  redis = await startRedis(port, password);
});

after(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await redis.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

test('a TPE sweep on the queue follows the local rule: the same trials and values as a local sweep with the same workers', async () => {
  const baseline = local(tpe, 2);
  const ws = [worker(), worker()];
  const c = coordinator(['sweep', tpe, '--runs-dir', join(dir, 'q-tpe'), '--workers', '2']);
  assert.equal(await c.exit, 0, c.stderr());
  assertLikeLocal(sweepDir(c), baseline);
  const values = summary(baseline).slice(1).map((l) => l.split(',').slice(2).join(','));
  assert.equal(new Set(values).size, 6, `six different suggestions: ${values.join(' | ')}`);
  // the finished sweep leaves nothing in Redis: no queue, no event stream, no trial's files
  const client = new Redis({ host: '127.0.0.1', port, password });
  const left = [...(await client.keys('bull:*')), ...(await client.keys('dlx:result:*')), ...(await client.keys('dlx:events:*'))];
  client.disconnect();
  assert.deepEqual(left, []);
  for (const w of ws) assert.equal(await stop(w), 130);
});

test('a k-fold sweep on the queue: each trial\'s folds travel together, laid out as a local k-fold sweep', async () => {
  const baseline = local(kfold, 1);
  const ws = [worker(), worker()];
  const c = coordinator(['sweep', kfold, '--runs-dir', join(dir, 'q-fold'), '--workers', '2']);
  assert.equal(await c.exit, 0, c.stderr());
  const d = sweepDir(c);
  assertLikeLocal(d, baseline);
  for (const t of ['0', '1']) assert.deepEqual(readdirSync(join(d, 'trials', t)).sort(), ['fold-1', 'fold-2', 'fold-3']);
  const header = summary(d)[0];
  assert.match(header, /std/, 'the folds\' spread is in summary.csv');
  for (const w of ws) assert.equal(await stop(w), 130);
});

test('a worker whose built-in dataset differs from the coordinator\'s fails the trial with a message naming the file', async () => {
  // another install of dlx, the same code, one changed value in its datasets/iris.csv
  const other = join(dir, 'other-install');
  mkdirSync(other);
  for (const f of ['package.json', 'bin', 'dist', 'datasets']) cpSync(join(root, f), join(other, f), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(other, 'node_modules'));
  if (existsSync(join(root, 'native'))) symlinkSync(join(root, 'native'), join(other, 'native'));
  const iris = join(other, 'datasets', 'iris.csv');
  const lines = readFileSync(iris, 'utf8').split('\n');
  lines[1] = lines[1].replace(/^[0-9.]+/, (v) => String(Number(v) + 0.1));
  writeFileSync(iris, lines.join('\n'));
  const spec = specFile('qbad', base('qbad', 2) + 'sweep:\n  method: grid\n  metric: val_acc\n  params:\n    optimizer.lr: {grid: [0.1]}\n');
  const w = worker([], other);
  try {
    const c = coordinator(['sweep', spec, '--runs-dir', join(dir, 'q-bad'), '--workers', '1']);
    await c.exit;
    const ended = readFileSync(join(sweepDir(c), 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'ended');
    assert.equal(ended.length, 1);
    assert.equal(ended[0].result.status, 'failed');
    assert.match(ended[0].result.reason, new RegExp(`^${iris.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: its SHA-256 on worker \\S+ differs from the coordinator's copy .*install the same dlx version on both \\(on \\S+\\)$`));
    assert.ok(!existsSync(join(sweepDir(c), 'trials', '0', 'curve.csv')), 'nothing trained');
    // the worker says so too, and goes on
    assert.equal(w.events.find((e) => e.event === 'trial-end')?.status, 'error');
    assert.match(String(w.events.find((e) => e.event === 'trial-end')?.message), /iris\.csv: its SHA-256 on worker/);
  } finally {
    assert.equal(await stop(w), 130);
  }
});

test('a worker stopped with Ctrl-C mid-trial puts the trial back at once and exits 130; another worker finishes it as if nothing happened', async () => {
  const baseline = local(slow, 1);
  // a lock far longer than the test waits: the trial comes back by the put-back, not by the stalled-job check
  const a = worker(['--lock-seconds', '120']);
  const c = coordinator(['sweep', slow, '--runs-dir', join(dir, 'q-int'), '--workers', '1']);
  await c.waitFor((e) => e.event === 'trial-epoch' && e.trial === 0 && Number(e.epoch) >= 2);
  const aHost = String(c.events.find((e) => e.event === 'trial-taken' && e.trial === 0)!.host);
  assert.equal(Number(aHost.split(':').pop()), a.child.pid);
  assert.equal(await stop(a), 130, a.stderr());
  assert.match(a.stderr(), /worker stopped; put back on the queue for another worker \(trained again from the start, same result\): trial 0 of dlx\.qslow\.sweep-/);
  assert.deepEqual(a.events.find((e) => e.event === 'worker-stop')?.putBack, [{ queue: String(c.events.find((e) => e.event === 'queue')!.queue), trial: 0 }]);
  assert.equal(a.events.find((e) => e.event === 'trial-end')?.status, 'interrupted');
  const started = Date.now();
  const b = worker();
  const taken = await c.waitFor((e) => e.event === 'trial-taken' && e.trial === 0 && e.host !== aHost);
  assert.equal(Number(String(taken.host).split(':').pop()), b.child.pid);
  assert.ok(Date.now() - started < 60_000, 'taken again before the lock would have lapsed');
  assert.equal(await c.exit, 0, c.stderr());
  assertLikeLocal(sweepDir(c), baseline);
  assert.equal(await stop(b), 130);
  assert.match(b.stderr(), /worker stopped; it had no trial running/);
});

test('a worker stopped with Ctrl-C twice quits at once, its trial process with it; the trial comes back to another worker once its lock lapses', async () => {
  const baseline = local(slow, 1);
  const a = worker(['--lock-seconds', '3']);
  const c = coordinator(['sweep', slow, '--runs-dir', join(dir, 'q-quit'), '--workers', '1']);
  await c.waitFor((e) => e.event === 'trial-epoch' && e.trial === 0 && Number(e.epoch) >= 2);
  // the worker's trial processes are its children (each in a process group of its own)
  const children = spawnSync('pgrep', ['-P', String(a.child.pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
  assert.ok(children.length >= 1, 'a trial process is running');
  // the second Ctrl-C once the first has landed (two signals sent at once may arrive as one)
  a.child.kill('SIGINT');
  while (!a.stderr().includes('interrupt: stopping')) await new Promise((r) => setTimeout(r, 2));
  a.child.kill('SIGINT');
  assert.equal(await a.exit, 130, a.stderr());
  // no put-back at the second Ctrl-C: it quits now
  assert.equal(a.events.find((e) => e.event === 'worker-stop'), undefined);
  // the trial process saw its channel close: it stops after its batch and exits
  const gone = async (pid: number) => {
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return true;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  };
  for (const pid of children) assert.ok(await gone(pid), `trial process ${pid} still running 10 s after its worker quit`);
  const aHost = String(c.events.find((e) => e.event === 'trial-taken' && e.trial === 0)!.host);
  const b = worker(['--lock-seconds', '3']);
  const taken = await c.waitFor((e) => e.event === 'trial-taken' && e.trial === 0 && e.host !== aHost);
  assert.equal(Number(String(taken.host).split(':').pop()), b.child.pid);
  assert.equal(await c.exit, 0, c.stderr());
  assertLikeLocal(sweepDir(c), baseline);
  assert.equal(await stop(b), 130);
});
