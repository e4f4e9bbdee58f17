// Sweeps on a Redis queue, end to end with real parts: a redis-server with a password on a
// loopback port, dlx workers and coordinators as processes, SIGKILL and SIGSTOP for faults.
// Every queue sweep must leave the same summary.csv (seconds aside), trial files and checkpoints
// as a local sweep of the same spec, and no password anywhere.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { dlx, root, tempDir } from './helpers.js';
import { mlpSpec } from './specs.js';
import { dlxProcess, freePort, startRedis, type Proc, type RedisServer } from './queue-helpers.js';

const password = 'pa55-queue-test';
const dir = tempDir('dlx-queue-');
const spec = join(dir, 'grid.yaml');
writeFileSync(spec, mlpSpec({ name: 'qgrid', seed: 42, dataset: 'iris', epochs: 40, batchSize: 8, units: 16, bias: 0.1 }) + `sweep:
  method: grid
  metric: val_acc
  # never prunes 3 trials, but every epoch waits for the coordinator's decision through Redis
  pruner: {type: median, startupTrials: 5}
  params:
    optimizer.lr: {grid: [0.01, 0.05, 0.1]}
    model.layers.0.units: {grid: [16]}
`);

// a CSV dataset: the coordinator sends it through Redis, content-addressed
const rows = readFileSync(join(root, 'datasets/iris.csv'), 'utf8').trim().split('\n').slice(1);
writeFileSync(join(dir, 'flowers.csv'), ['a,b,c,d,species', ...rows].join('\n') + '\n');
const csvSpec = join(dir, 'csv.yaml');
writeFileSync(csvSpec, readFileSync(spec, 'utf8').replace('dataset: iris', 'dataset: {type: csv, path: flowers.csv, target: species}').replace('[0.01, 0.05, 0.1]', '[0.01, 0.1]'));

let port = 0;
let url = '';
let redis: RedisServer;
const workers: Proc[] = [];
const startWorker = () => {
  const w = dlxProcess(['worker', '--queue', url, '--lock-seconds', '2', '--json', '--threads', '1']);
  workers.push(w);
  return w;
};
let local = '';
let localCsv = '';

const sweepDir = (events: Record<string, unknown>[]) => String(events.find((e) => e.event === 'sweep-start')!.sweepDir);
/** summary.csv without its seconds column. */
const summary = (d: string) => readFileSync(join(d, 'summary.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -1).join(','));
function files(d: string): string[] {
  return readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(d, join(e.parentPath, e.name))).sort();
}
function assertLikeLocal(d: string, baseline = local): void {
  assert.deepEqual(summary(d), summary(baseline));
  assert.deepEqual(files(join(d, 'trials')), files(join(baseline, 'trials')));
  const trials = readdirSync(join(baseline, 'trials')).sort();
  for (const t of [trials[0], trials[trials.length - 1]]) {
    const [mine, theirs] = [readFileSync(join(d, 'trials', t, 'checkpoints/last.safetensors')), readFileSync(join(baseline, 'trials', t, 'checkpoints/last.safetensors'))];
    // the header first (a readable difference), then every byte
    const header = (b: Buffer) => JSON.parse(b.subarray(8, 8 + Number(b.readBigUInt64LE(0))).toString('utf8'));
    assert.deepEqual(header(mine), header(theirs));
    assert.deepEqual(mine, theirs);
    for (const f of ['resolved.json', 'spec.yaml', 'curve.csv', 'metrics.json']) {
      const text = (root: string) => readFileSync(join(root, 'trials', t, f), 'utf8').replace(/,[0-9.e-]+,[0-9.e-]+$/gm, '').replace(/"(train_)?seconds": [0-9.e-]+/g, '');
      assert.equal(text(d), text(baseline), `trials/${t}/${f}`);
    }
  }
  const ended = readFileSync(join(d, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'ended');
  assert.deepEqual(ended.map((e) => String(e.trial)).sort(), trials, 'each trial recorded once');
  for (const f of files(d)) assert.ok(!readFileSync(join(d, f)).includes(password), `${f} holds the password`);
}
const coordinator = (args: string[]) => dlxProcess([...args, '--queue', url, '--json']);

before(async () => {
  port = await freePort();
  url = `redis://:${password}@127.0.0.1:${port}`;
  redis = await startRedis(port, password);
  for (let i = 0; i < 3; i++) startWorker();
  const r = dlx(['sweep', spec, '--runs-dir', join(dir, 'local'), '--workers', '1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  local = String(JSON.parse(r.stdout.trim().split('\n').pop()!).sweepDir);
  const c = dlx(['sweep', csvSpec, '--runs-dir', join(dir, 'local-csv'), '--workers', '1', '--json']);
  assert.equal(c.code, 0, c.stderr);
  localCsv = String(JSON.parse(c.stdout.trim().split('\n').pop()!).sweepDir);
});

after(async () => {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await redis.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

test('a queue sweep on three workers equals a local sweep; progress names the workers', async () => {
  const c = coordinator(['sweep', spec, '--runs-dir', join(dir, 'q1'), '--workers', '3']);
  assert.equal(await c.exit, 0, c.stderr());
  const taken = c.events.filter((e) => e.event === 'trial-taken');
  assert.equal(new Set(taken.map((e) => e.trial)).size, 3);
  assert.ok(taken.every((e) => typeof e.host === 'string' && typeof e.queuedMs === 'number'));
  assert.ok(!JSON.stringify(c.events).includes(password));
  assertLikeLocal(sweepDir(c.events));
  // every trial ended on a worker; one may end twice where a loaded machine let its 2 s lock
  // lapse and another worker took it (delivered twice, recorded once: assertLikeLocal)
  const ends = workers.flatMap((w) => w.events.filter((e) => e.event === 'trial-end'));
  assert.deepEqual([...new Set(ends.map((e) => e.trial))].sort(), [0, 1, 2]);
});

test('a worker killed mid-trial: another takes its trial, and the sweep ends as if nothing happened', async () => {
  const c = coordinator(['sweep', spec, '--runs-dir', join(dir, 'q2'), '--workers', '3']);
  const epoch = await c.waitFor((e) => e.event === 'trial-epoch' && e.trial === 1 && Number(e.epoch) >= 2);
  const host = String(c.events.find((e) => e.event === 'trial-taken' && e.trial === 1)!.host);
  const victim = workers.find((w) => w.child.pid === Number(host.split(':').pop()))!;
  assert.ok(victim, `the worker ${host} of trial 1`);
  victim.child.kill('SIGKILL');
  startWorker();
  assert.equal(await c.exit, 0, c.stderr());
  const takers = c.events.filter((e) => e.event === 'trial-taken' && e.trial === 1).map((e) => e.host);
  assert.ok(takers.length >= 2 && takers[takers.length - 1] !== host, `trial 1 taken again after epoch ${epoch.epoch}: ${takers.join(', ')}`);
  assertLikeLocal(sweepDir(c.events));
});

test('a worker paused past its lock: the trial is delivered twice and recorded once', async () => {
  const c = coordinator(['sweep', spec, '--runs-dir', join(dir, 'q3'), '--workers', '3']);
  await c.waitFor((e) => e.event === 'trial-epoch' && e.trial === 2);
  const host = String(c.events.find((e) => e.event === 'trial-taken' && e.trial === 2)!.host);
  const pid = Number(host.split(':').pop());
  process.kill(pid, 'SIGSTOP');
  await c.waitFor((e) => e.event === 'trial-taken' && e.trial === 2 && e.host !== host);
  process.kill(pid, 'SIGCONT');
  assert.equal(await c.exit, 0, c.stderr());
  assertLikeLocal(sweepDir(c.events));
});

test('the coordinator killed and resumed picks up queued, running and finished trials', async () => {
  const c = coordinator(['sweep', spec, '--runs-dir', join(dir, 'q4'), '--workers', '2']);
  await c.waitFor((e) => e.event === 'trial-end');
  c.child.kill('SIGKILL');
  await c.exit;
  const d = sweepDir(c.events);
  const r = coordinator(['resume', d]);
  assert.equal(await r.exit, 0, r.stderr());
  assertLikeLocal(d);
});

test('Redis stopped and restarted mid-sweep: coordinator and workers reconnect and finish', async () => {
  const c = coordinator(['sweep', spec, '--runs-dir', join(dir, 'q5'), '--workers', '3']);
  await c.waitFor((e) => e.event === 'trial-epoch');
  await redis.stop('SIGKILL');
  await new Promise((r) => setTimeout(r, 1500));
  // persistence is off: the new server starts empty, and the coordinator puts its trials on again
  redis = await startRedis(port, password);
  assert.equal(await c.exit, 0, c.stderr());
  assertLikeLocal(sweepDir(c.events));
});

test('Redis unreachable past --queue-timeout: the coordinator stops with a message, no password shown', async () => {
  const dead = await freePort();
  const c = dlxProcess(['sweep', spec, '--runs-dir', join(dir, 'q7'), '--queue', `redis://:${password}@127.0.0.1:${dead}`, '--queue-timeout', '1']);
  assert.equal(await c.exit, 3);
  assert.match(c.stderr(), /Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ unreachable for \d+ s \(.*ECONNREFUSED.*\) \(--queue-timeout 1\); the sweep stopped.*dlx resume /);
  assert.ok(!c.stderr().includes(password) && !c.events.some((e) => JSON.stringify(e).includes(password)));
});

test('hostile jobs are refused and recorded; the workers go on', async () => {
  const connection = { host: '127.0.0.1', port, password };
  const client = new Redis(connection);
  const name = 'dlx.hostile.sweep-1';
  const queue = new Queue(name, { connection });
  const good = JSON.parse(readFileSync(join(local, 'trials/0/resolved.json'), 'utf8'));
  const job = { v: 1, sweep: name, trial: 0, attempt: 0, folds: [{ spec: good }], backend: 'wasm', ask: false, writeEvery: 1, argv: [], data: [], builtin: [], enqueuedAt: 0 };
  const hostile: Record<string, unknown> = {
    'unknown-key': { ...job, run: 'rm -rf /' },
    'a-path': { ...job, folds: [{ spec: { ...good, data: { ...good.data, dataset: { type: 'csv', path: '/etc/passwd', target: 0 } } } }] },
    'absurd-size': { ...job, argv: Array.from({ length: 50 }, () => 'x'.repeat(30_000)) },
    'other-sweep': { ...job, sweep: 'dlx.another.sweep-2' },
    'bad-spec': { ...job, folds: [{ spec: { ...good, optimizer: { type: 'sgd', lr: -1, evil: true } } }] },
  };
  await client.sadd('dlx:sweeps', name);
  for (const [id, data] of Object.entries(hostile)) await queue.add('trial', data, { jobId: id });
  for (const id of Object.keys(hostile)) {
    for (let i = 0; ; i++) {
      if ((await queue.getJobState(id)) === 'failed') break;
      assert.ok(i < 200, `${id} was not refused`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const failed = await queue.getJob(id);
    assert.match(failed!.failedReason, /^refused: /, id);
  }
  const recorded = (await client.lrange('dlx:refused', 0, -1)).map((l) => JSON.parse(l).job);
  for (const id of Object.keys(hostile)) assert.ok(recorded.includes(id), `${id} recorded`);
  assert.match(String((await queue.getJob('a-path'))!.failedReason), /is a path/);
  await client.srem('dlx:sweeps', name);
  await queue.obliterate({ force: true });
  await queue.close();
  client.disconnect();
  // the workers are alive and still train: a sweep after the hostile jobs
  assert.ok(workers.some((w) => w.child.exitCode === null));
});

test('a CSV dataset travels through Redis once, by its SHA-256; the trials keep the coordinator\'s path', async () => {
  const c = coordinator(['sweep', csvSpec, '--runs-dir', join(dir, 'q6'), '--workers', '2']);
  assert.equal(await c.exit, 0, c.stderr());
  assertLikeLocal(sweepDir(c.events), localCsv);
  const client = new Redis({ host: '127.0.0.1', port, password });
  const blobs = await client.keys('dlx:blob:*');
  client.disconnect();
  assert.equal(blobs.length, 1);
  assert.equal(blobs[0], `dlx:blob:${createHash('sha256').update(readFileSync(join(dir, 'flowers.csv'))).digest('hex')}`);
});
