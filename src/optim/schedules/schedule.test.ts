// Warmup hands over to the main schedule exactly: from step W on, the lr is the main schedule's
// own value at step − W, bit for bit (not the warmup ramp's last factor, which rounds: with
// startFactor 0.2 and W = 3, 0.2 + 0.8·3/3 is 1.0000000000000002 in doubles).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withWarmup } from './schedule.js';

test('warmup: a linear ramp from startFactor, then the main schedule from its step 0, exactly', () => {
  const main = (step: number) => 0.1 * 0.5 ** step;
  const lr = withWarmup(main, { steps: 3, startFactor: 0.2 });
  assert.equal(lr(0), 0.1 * 0.2);
  assert.ok(Math.abs(lr(1) - 0.1 * (0.2 + 0.8 / 3)) < 1e-17);
  for (const step of [3, 4, 5]) assert.equal(lr(step), main(step - 3), `step ${step}`);
  assert.equal(withWarmup(main, undefined), main);
});
