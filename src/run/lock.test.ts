import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { RunBusyError } from '../common/errors.js';
import { acquireRunLock, readLock } from './lock.js';

const lockModule = fileURLToPath(new URL('./lock.js', import.meta.url));

/** A real process that takes the lock of `dir`, says so on stdout, and holds it until killed. */
function holder(dir: string) {
  const code = `const { acquireRunLock } = await import(${JSON.stringify(lockModule)});
await acquireRunLock(${JSON.stringify(dir)}, 'test holder'); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.on('exit', (c) => reject(new Error(`holder exited ${c}`)));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { child, ready, exited };
}

test('a run folder lock is refused while its holder lives, names it, and is taken over once it is SIGKILLed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlx-lock-'));
  const h = holder(dir);
  await h.ready;
  await assert.rejects(acquireRunLock(dir), (e: unknown) => {
    assert.ok(e instanceof RunBusyError);
    assert.equal(e.exitCode, 6);
    assert.match(e.message, new RegExp(`^${dir} is in use by process ${h.child.pid} on ${hostname()} \\(since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z: test holder\\); wait for it to end, or stop it$`));
    return true;
  });
  h.child.kill('SIGKILL');
  await h.exited;
  const stale = await readLock(dir);
  assert.equal(stale !== null && stale !== 'unreadable' && stale.pid, h.child.pid, 'the dead holder left its lock');
  const release = await acquireRunLock(dir, 'taker');
  const mine = await readLock(dir);
  assert.equal(mine !== null && mine !== 'unreadable' && mine.pid, process.pid);
  await assert.rejects(acquireRunLock(dir), RunBusyError, 'one holder at a time, also within a process');
  await release();
  assert.equal(existsSync(join(dir, '.lock')), false);
  await (await acquireRunLock(dir))();
});

test('a lock of a pid that exited, or an unreadable lock, is stale; release never removes a lock it does not own', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlx-lock-'));
  const gone = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: gone, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
  const release = await acquireRunLock(dir);
  writeFileSync(join(dir, '.lock'), 'garbage');
  await release(); // not ours any more: left alone
  assert.equal(readFileSync(join(dir, '.lock'), 'utf8'), 'garbage');
  await (await acquireRunLock(dir))();
  // a holder on another host cannot be checked: it is respected
  writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: 1, host: 'elsewhere.example', startedAt: '2026-01-01T00:00:00.000Z' }));
  await assert.rejects(acquireRunLock(dir), /in use by process 1 on elsewhere\.example/);
});
