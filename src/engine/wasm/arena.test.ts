import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Arena } from './arena.js';
import { newMemory } from './module.js';

test('resident buffers: zeroed, first fit into freed space, neighbours merged, the top given back', () => {
  const arena = new Arena(newMemory());
  const [a, b, c] = [arena.alloc(100), arena.alloc(50), arena.alloc(10)];
  assert.ok(arena.resident(a) && arena.resident(b.subarray(3)) && !arena.resident(new Float32Array(4)));
  assert.deepEqual([a.byteOffset, b.byteOffset, c.byteOffset], [64, 64 + 448, 64 + 448 + 256]);
  a.fill(7);
  arena.free(a);
  const d = arena.alloc(20); // fits in a's space, at its start, and is zeroed
  assert.equal(d.byteOffset, 64);
  assert.ok(d.every((v) => v === 0));
  arena.free(b); // merges with what is left of a's space: one hole from 64 + 128 to c
  const e = arena.alloc(80);
  assert.equal(e.byteOffset, 64 + 128);
  arena.free(c);
  arena.free(e);
  arena.free(d); // everything given back: the next buffer starts at the bottom again
  assert.equal(arena.alloc(1000).byteOffset, 64);
});

test('staged operands sit above the resident buffers; resident ones are used where they are', () => {
  const arena = new Arena(newMemory());
  const resident = arena.alloc(8);
  const { at, end } = arena.place([resident, Float32Array.from([1, 2, 3]), 5]);
  assert.deepEqual(at, [64, 128, 192]);
  assert.equal(end, 256);
  const out = new Float32Array(3);
  arena.fetch(at[1], out);
  assert.deepEqual([...out], [1, 2, 3]);
});

test('reset: every resident buffer forgotten, the next one starts at the bottom again', () => {
  const arena = new Arena(newMemory());
  const a = arena.alloc(100);
  arena.alloc(50);
  arena.free(a); // a hole below the top
  arena.reset();
  const b = arena.alloc(30);
  assert.equal(b.byteOffset, 64);
  // the hole was forgotten with the rest: the next buffer follows b, not a's old space
  assert.equal(arena.alloc(1000).byteOffset, 64 + 128);
  assert.deepEqual(arena.place([4]).at, [64 + 128 + 4032]);
});
