// Damaged data end to end: dlx train refuses it with exit 3 and a message that says what is
// wrong with the data, and leaves no run folder.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { csvSpec, twoClassCsv } from './csv-specs.js';
import { dlx, tempDir } from './helpers.js';

test('a stray word in a numeric CSV column: exit 3 naming file, line, column and value; listed as categorical it trains', () => {
  const dir = tempDir();
  const csv = twoClassCsv(60).replace('\n0.5,0.4,0\n', '\n0.5,1..5,0\n');
  assert.match(csv, /1\.\.5/);
  const r = dlx(['train', csvSpec(dir, csv), '--quiet'], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^error .*data\.csv:\d+: column 'x2' \(field 2\) holds numbers, but this row has '1\.\.5', not a number; fix the file/);
  assert.equal(r.stderr.split('\n').length, 2, 'one line');
  assert.equal(existsSync(join(dir, 'runs')), false);
  const listed = dlx(['train', csvSpec(dir, csv, 2, ', categorical: [x2]'), '--quiet'], { cwd: dir });
  assert.equal(listed.code, 0, listed.stderr);
});

test('one corrupt label: the labels found and where the odd one is, not "units: 3"', () => {
  const dir = tempDir();
  const csv = twoClassCsv(200, (r) => (r === 77 ? '1.5' : String(r % 2)));
  const r = dlx(['train', csvSpec(dir, csv), '--quiet'], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /but the dataset has 3 classes; the labels found are '0' \(100\), '1' \(99\), and rare: '1\.5' \(1 sample, first at .*data\.csv:79\); the rare one looks like an error in the data: fix it in .*data\.csv, or, if it is a real class, make the last layer a dense layer with units: 3\n$/);
});

test('one-class data: says a classifier needs two classes, not "units: 1"', () => {
  const dir = tempDir();
  const r = dlx(['train', csvSpec(dir, twoClassCsv(40, () => 'yes'), 1), '--quiet'], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /data\.csv: every sample has the label 'yes' \(40 samples\); a classifier needs at least two classes/);
  assert.doesNotMatch(r.stderr, /units/);
});

/** An IDX file of unsigned bytes. */
function idxBytes(shape: number[], values: ArrayLike<number>): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = 0x08;
  header[3] = shape.length;
  shape.forEach((s, i) => header.writeUInt32BE(s, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Uint8Array.from(values))]);
}

test('IDX labels 0–9 with one corrupt 200: exit 3 naming the record, not "units: 201"', () => {
  const dir = tempDir();
  const n = 400;
  writeFileSync(join(dir, 'images.idx'), idxBytes([n, 2, 2], Array.from({ length: n * 4 }, (_, i) => i % 256)));
  writeFileSync(join(dir, 'labels.idx'), idxBytes([n], Array.from({ length: n }, (_, i) => (i === 321 ? 200 : i % 10))));
  writeFileSync(join(dir, 'spec.yaml'), `name: idx
data: {dataset: {type: idx, images: images.idx, labels: labels.idx, divideBy: 255}}
model: {layers: [flatten, {type: dense, units: 10}]}
train: {epochs: 1}
`);
  const r = dlx(['train', 'spec.yaml', '--quiet'], { cwd: dir });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /labels\.idx: the labels found are '0' \(40\), .*'9' \(40\), and rare: '200' \(1 sample, first at .*labels\.idx, record 322\); classes 10–199 have no sample: '200' looks like a corrupt label/);
  assert.doesNotMatch(r.stderr, /units/);
});
