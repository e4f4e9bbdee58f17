import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modeOf, watch, type WatchState } from './early-stopping.js';

test('mode is inferred from the monitored column', () => {
  assert.equal(modeOf('val_loss', 'auto'), 'min');
  assert.equal(modeOf('train_loss', 'auto'), 'min');
  assert.equal(modeOf('val_acc', 'auto'), 'max');
  assert.equal(modeOf('val_acc', 'min'), 'min');
});

test('patience counts epochs without an improvement larger than minDelta', () => {
  const state: WatchState = { wait: 0 };
  const steps = [1.0, 0.9, 0.89, 0.95, 0.88, 0.7].map((v, i) => watch(state, i + 1, v, 'val_loss', 'min', 0.05, 3));
  assert.deepEqual(steps.map((s) => s.isBest), [true, true, false, false, false, true]);
  assert.deepEqual(steps.map((s) => s.stop), [false, false, false, false, true, false]);
  assert.equal(state.best?.epoch, 6);
});

test('maximizing an accuracy; without patience it never stops but still tracks the best', () => {
  const state: WatchState = { wait: 0 };
  const steps = [0.5, 0.7, 0.6, 0.6, 0.6, 0.6].map((v, i) => watch(state, i + 1, v, 'val_acc', 'max', 0, undefined));
  assert.ok(steps.every((s) => !s.stop));
  assert.deepEqual(state.best, { epoch: 2, monitor: 'val_acc', value: 0.7 });
  assert.equal(state.wait, 4);
});
