import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { plainColors } from './color.js';
import { DataError, DivergedError, SpecError } from '../common/errors.js';
import type { Io } from './io.js';
import { main, reportError } from './main.js';

function fakeIo() {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const io: Io = { out, err, color: plainColors, env: {} };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

test('typed errors become their exit codes and messages, without a stack', () => {
  for (const [error, code, text] of [
    [new SpecError(['a.yaml:1:1: x: bad', 'a.yaml:2:1: y: bad']), 2, 'error a.yaml:1:1: x: bad\nerror a.yaml:2:1: y: bad\n'],
    [new DataError('d.csv:3: bad row'), 3, 'error d.csv:3: bad row\n'],
    [new DivergedError('training diverged'), 4, 'error training diverged\n'],
  ] as const) {
    const f = fakeIo();
    assert.equal(reportError(f.io, error), code);
    assert.equal(f.stderr(), text);
  }
});

test('anything else is a bug: exit 1 with the stack', () => {
  const f = fakeIo();
  assert.equal(reportError(f.io, new TypeError('boom')), 1);
  assert.match(f.stderr(), /^internal error \(a bug in dlx [\d.]+; please report it\):\nTypeError: boom\n    at /);
});

test('--help and --version exit 0; an unknown command exits 2', async () => {
  const help = fakeIo();
  assert.equal(await main(['--help'], help.io), 0);
  assert.match(help.stdout(), /Exit codes: 0 ok, 1 a bug in dlx, 2 bad spec or arguments/);
  const version = fakeIo();
  assert.equal(await main(['--version'], version.io), 0);
  assert.match(version.stdout(), /^\d+\.\d+\.\d+\n$/);
  const unknown = fakeIo();
  assert.equal(await main(['trian'], unknown.io), 2);
  assert.match(unknown.stderr(), /unknown command 'trian'/);
});
