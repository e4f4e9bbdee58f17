import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dlx } from '../../../test/helpers.js';
import { Rng } from '../../random/rng.js';
import { codebook, generate, morse, morseFrame, presets } from './morse.js';

test('64 classes in the codebook order; Ĥ and ( share a code', () => {
  assert.equal(codebook.length, 64);
  assert.equal(new Set(codebook.map(([s]) => s)).size, 64);
  assert.deepEqual([codebook[1], codebook[10]], [['Ĥ', '-.--.'], ['(', '-.--.']]);
  assert.equal(new Set(codebook.map(([, c]) => c)).size, 63);
});

test('bw frames: dots 1–3 and dashes 4–9 ones, 1–3 zeros between, starting at 0 without random space', () => {
  const s = { ...presets.baseline, style: 'bw' as const, noiseSd: 0 };
  const rng = Rng.stream(1, 't');
  const out = new Float32Array(64);
  for (let i = 0; i < 200; i++) {
    morseFrame('.-.', s, rng, out);
    const runs = [...out].map(String).join('').replace(/0+$/, '').split(/(?<=1)(?=0)|(?<=0)(?=1)/);
    assert.equal(runs.length, 5, runs.join('|'));
    assert.ok(runs[0][0] === '1', 'the signal starts the frame');
    const [dot1, gap1, dash, gap2, dot2] = runs.map((r) => r.length);
    for (const d of [dot1, dot2]) assert.ok(d >= 1 && d <= 3);
    assert.ok(dash >= 4 && dash <= 9);
    for (const g of [gap1, gap2]) assert.ok(g >= 1 && g <= 3);
  }
});

test('gray frames are clipped to [0, 16], divided by 16, rounded to 3 decimals; dilation stretches everything', () => {
  const rng = Rng.stream(2, 't');
  const out = new Float32Array(64);
  morseFrame('-----', { ...presets.difficult }, rng, out);
  for (const v of out) {
    assert.ok(v >= 0 && v <= 1);
    assert.ok(Math.abs(Math.round(v * 1000) - v * 1000) < 1e-3);
  }
  const wide = new Float32Array(128);
  morseFrame('.', { ...presets.baseline, style: 'bw', dilation: 2 }, Rng.stream(3, 't'), wide);
  const ones = wide.filter((v) => v === 1).length;
  assert.ok(ones >= 2 && ones <= 6 && ones % 2 === 0);
});

test('bw noise flips at most maxFlip positions', () => {
  const rng = Rng.stream(4, 't');
  const clean = new Float32Array(64);
  const noisy = new Float32Array(64);
  for (let i = 0; i < 50; i++) {
    const state = rng.state;
    morseFrame('..', { ...presets.baseline, style: 'bw', maxFlip: 0 }, rng, clean);
    rng.setState(state);
    morseFrame('..', { ...presets.baseline, style: 'bw', maxFlip: 3 }, rng, noisy);
    const diff = clean.reduce((n, v, j) => n + (v !== noisy[j] ? 1 : 0), 0);
    assert.ok(diff <= 3);
  }
});

test('counts per class, and the same seed gives the same data', async () => {
  const e = generate({ ...presets.baseline }, 3, Rng.stream(5, 'x'));
  assert.equal(e.y.length, 192);
  assert.deepEqual([...e.y.subarray(0, 4)], [0, 0, 0, 1]);
  const config = morse.schema.parse({ type: 'morse', trainPerClass: 2, valPerClass: 1, testPerClass: 1 });
  const [a, b] = [await morse.load(config, { specDir: '.', seed: 9 }), await morse.load(config, { specDir: '.', seed: 9 })];
  assert.deepEqual(a.train.x, b.train.x);
  assert.deepEqual([a.train.y.length, a.val!.y.length, a.test!.y.length], [128, 64, 64]);
});

test('dlx datasets info morse warns about the shared code', () => {
  const r = dlx(['datasets', 'info', 'morse']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^morse: Morse code frames.*\nsource: generated.*\npresent: yes\nnote: classes 1 \(Ĥ\) and 10 "\(" share the code -\.--\., so no model can beat 63\/64 = 98\.44 % accuracy\n$/);
  const unknown = dlx(['datasets', 'info', 'mors']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^error dataset 'mors' \(did you mean 'morse'\?\): expected one of /);
});

test('bw noise flips k ~ U{0..maxFlip} distinct positions: every k from 0 to 3 occurs, about equally often', () => {
  const rng = Rng.stream(6, 't');
  const clean = new Float32Array(64);
  const noisy = new Float32Array(64);
  const counts = [0, 0, 0, 0];
  const n = 800;
  for (let i = 0; i < n; i++) {
    const state = rng.state;
    morseFrame('.-', { ...presets.baseline, style: 'bw', maxFlip: 0 }, rng, clean);
    rng.setState(state);
    morseFrame('.-', { ...presets.baseline, style: 'bw', maxFlip: 3 }, rng, noisy);
    const diff = clean.reduce((d, v, j) => d + (v !== noisy[j] ? 1 : 0), 0);
    assert.ok(diff <= 3, `${diff} flips`);
    counts[diff]++;
  }
  // each k has probability 1/4: 200 expected, binomial sd √(800·¼·¾) ≈ 12.2; 5 sd either side
  for (const c of counts) assert.ok(Math.abs(c - n / 4) < 5 * Math.sqrt(n * 0.25 * 0.75), `flip counts ${counts.join(', ')}`);
});
