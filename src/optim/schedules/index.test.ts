// The schedules a spec may name, by name or as {type: name}.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scheduleRegistry, scheduleSchema } from './index.js';

test('the schedules a spec may name', () => {
  const names = ['constant', 'exponential', 'step', 'inverse-time', 'triangular', 'triangular2', 'cosine-restarts'];
  assert.deepEqual(scheduleRegistry.types, names);
  assert.equal(scheduleSchema.parse('constant').type, 'constant');
  assert.throws(() => scheduleRegistry.find('onecycle'), { message: "no schedule 'onecycle'" });
});
