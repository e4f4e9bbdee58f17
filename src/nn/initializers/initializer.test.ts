// What the initializers do besides their statistics (initializers.test.ts): constants overwrite
// whatever the buffer held, a fill takes exactly one draw per value from the init stream (so a
// layer's initial weights do not depend on what the layers before it drew beyond their sizes),
// and the names a spec may use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../random/rng.js';
import { createInitializer, initializerRegistry, initializerSchema } from './index.js';
import { fillNormal, fillUniform } from './initializer.js';

const fans = { fanIn: 2, fanOut: 2 };

test('zeros, ones and constant overwrite the whole buffer', () => {
  for (const [spec, value] of [['zeros', 0], ['ones', 1], [{ type: 'constant', value: -2.5 }, -2.5], ['constant', 0]] as const) {
    const data = Float32Array.from([7, 7, 7]);
    createInitializer(initializerSchema.parse(spec))(data, fans, Rng.stream(0, 'init'));
    assert.deepEqual([...data], [value, value, value], JSON.stringify(spec));
  }
});

test('a fill takes exactly one draw per value: the stream continues where it left off', () => {
  const reference = Rng.stream(5, 'init');
  const normals = [0, 1, 2, 3].map(() => reference.normal());
  const rng = Rng.stream(5, 'init');
  const data = new Float32Array(3);
  fillNormal(data, 2, rng);
  assert.deepEqual([...data], normals.slice(0, 3).map((v) => Math.fround(2 * v)));
  assert.equal(rng.normal(), normals[3]);
  const uniforms = Rng.stream(6, 'init');
  const u = [0, 1, 2, 3].map(() => uniforms.uniform());
  const rng2 = Rng.stream(6, 'init');
  fillUniform(data, 0.5, rng2);
  assert.deepEqual([...data], u.slice(0, 3).map((v) => Math.fround(0.5 * (2 * v - 1))));
  assert.equal(rng2.uniform(), u[3]);
});

test('the initializers a spec may name', () => {
  const names = ['zeros', 'ones', 'constant', 'glorot-normal', 'glorot-uniform', 'he-normal', 'he-uniform'];
  assert.deepEqual(initializerRegistry.types, names);
  for (const name of names) assert.equal(initializerSchema.parse(name).type, name);
  assert.throws(() => initializerRegistry.find('orthogonal'), { message: "no initializer 'orthogonal'" });
});
