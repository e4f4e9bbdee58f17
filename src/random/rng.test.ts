import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from './rng.js';

test('the same seed and stream name give the same sequence; other names another', () => {
  const draw = (seed: number, name: string) => Array.from({ length: 5 }, ((r) => () => r.nextUint32())(Rng.stream(seed, name)));
  assert.deepEqual(draw(42, 'shuffle'), draw(42, 'shuffle'));
  assert.notDeepEqual(draw(42, 'shuffle'), draw(42, 'init'));
  assert.notDeepEqual(draw(42, 'shuffle'), draw(43, 'shuffle'));
});

test('a saved state continues the stream exactly', () => {
  const a = Rng.stream(7, 'x');
  for (let i = 0; i < 10; i++) a.uniform();
  const b = Rng.stream(0, 'other');
  b.setState(a.state);
  assert.deepEqual(Array.from({ length: 20 }, () => a.normal()), Array.from({ length: 20 }, () => b.normal()));
});

test('uniform and normal draws have the right moments', () => {
  const r = Rng.stream(1, 'moments');
  const n = 100_000;
  let su = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  // 5 standard errors
  assert.ok(Math.abs(su / n - 0.5) < 5 * Math.sqrt(1 / 12 / n));
  assert.ok(Math.abs(sn / n) < 5 / Math.sqrt(n));
  assert.ok(Math.abs(sn2 / n - 1) < 5 * Math.sqrt(2 / n));
});

test('shuffle is a permutation', () => {
  const xs = Array.from({ length: 50 }, (_, i) => i);
  Rng.stream(3, 's').shuffle(xs);
  assert.notDeepEqual(xs, Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual([...xs].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
});
