// Initializer statistics on 10^5 draws, within sampling error (5 standard errors).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../random/rng.js';
import { createInitializer, type InitializerConfig } from './index.js';

const N = 100_000;
const fans = { fanIn: 300, fanOut: 100 };

function draw(type: string, extra: Record<string, unknown> = {}): Float32Array {
  const data = new Float32Array(N);
  createInitializer({ type, ...extra } as InitializerConfig)(data, fans, Rng.stream(11, `init-${type}`));
  return data;
}

function moments(x: Float32Array) {
  let s = 0, s2 = 0, min = Infinity, max = -Infinity;
  for (const v of x) {
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / x.length;
  return { mean, variance: s2 / x.length - mean * mean, min, max };
}

const cases: [string, number, number | undefined][] = [
  ['glorot-normal', 2 / (fans.fanIn + fans.fanOut), undefined],
  ['glorot-uniform', 2 / (fans.fanIn + fans.fanOut), Math.sqrt(6 / (fans.fanIn + fans.fanOut))],
  ['he-normal', 2 / fans.fanIn, undefined],
  ['he-uniform', 2 / fans.fanIn, Math.sqrt(6 / fans.fanIn)],
];

for (const [type, variance, limit] of cases) {
  test(`${type}: mean 0, variance ${variance.toPrecision(3)}${limit ? `, within ±${limit.toPrecision(3)}` : ''}`, () => {
    const m = moments(draw(type));
    assert.ok(Math.abs(m.mean) < 5 * Math.sqrt(variance / N), `mean ${m.mean}`);
    // the variance of a sample variance: (μ4 − σ⁴)/N, μ4 = 3σ⁴ (normal) or 1.8σ⁴ (uniform)
    const kurtosis = limit ? 1.8 : 3;
    assert.ok(Math.abs(m.variance - variance) < 5 * variance * Math.sqrt((kurtosis - 1) / N), `variance ${m.variance}`);
    if (limit) {
      assert.ok(m.min >= -limit && m.max <= limit);
      assert.ok(m.max > 0.99 * limit && m.min < -0.99 * limit, 'fills the whole interval');
    }
  });
}

test('zeros, ones and constant fill exactly', () => {
  assert.ok(draw('zeros').every((v) => v === 0));
  assert.ok(draw('ones').every((v) => v === 1));
  assert.ok(draw('constant', { value: 0.25 }).every((v) => v === 0.25));
});

test('the same seed draws the same weights', () => {
  assert.deepEqual(draw('he-normal'), draw('he-normal'));
});
