// The Morse code dataset generator (Dey, Chugg & Beerel 2018, "Morse Code Datasets for Machine
// Learning", https://arxiv.org/abs/1807.04239), as REFERENCE.md §7 gives it: 64 classes, one
// frame of `frameLength` intensities per sample, seeded from the run's seed.
import * as z from 'zod';
import { count, strictObject } from '../../common/schema.js';
import { Rng } from '../../random/rng.js';
import { defineDataset, type Examples } from '../dataset.js';

/** Label order of the codebook: [symbol, code]. Ĥ and ( share -.--. (so 63/64 is the ceiling). */
export const codebook: [string, string][] = [
  ['Ĵ', '.---.'], ['Ĥ', '-.--.'], ['Ñ', '--.--'], ['CH', '----'], ['Ĝ', '--.-.'], ['!', '-.-.--'], ['"', '.-..-.'],
  ["'", '.----.'], ['Ç', '-.-..'], [')', '-.--.-'], ['(', '-.--.'], ['+', '.-.-.'], ['-', '-....-'], [',', '--..--'],
  ['/', '-..-.'], ['.', '.-.-.-'], ['1', '.----'], ['0', '-----'], ['3', '...--'], ['2', '..---'], ['5', '.....'],
  ['4', '....-'], ['7', '--...'], ['6', '-....'], ['9', '----.'], ['8', '---..'], [';', '-.-.-.'], [':', '---...'],
  ['=', '-...-'], ['?', '..--..'], ['A', '.-'], ['@', '.--.-.'], ['C', '-.-.'], ['B', '-...'], ['E', '.'],
  ['D', '-..'], ['G', '--.'], ['F', '..-.'], ['I', '..'], ['H', '....'], ['K', '-.-'], ['J', '.---'], ['M', '--'],
  ['L', '.-..'], ['O', '---'], ['N', '-.'], ['Q', '--.-'], ['S', '...'], ['U', '..-'], ['T', '-'], ['W', '.--'],
  ['V', '...-'], ['Y', '-.--'], ['X', '-..-'], ['Z', '--..'], ['_', '..--.-'], ['Ü', '..--'], ['Ð', '..--.'],
  ['Ö', '---.'], ['Ŝ', '...-.'], ['P', '.--.'], ['Ä', '.-.-'], ['É', '..-..'], ['R', '.-.'],
];

const range = z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => a <= b, { message: 'expected [low, high] with low ≤ high' });

const options = {
  preset: z.enum(['baseline', 'difficult']).default('baseline'),
  style: z.enum(['gray', 'bw']).optional(),
  noiseSd: z.number().min(0).optional(),
  maxFlip: z.number().int().min(0).optional(),
  randomLeadingSpace: z.boolean().optional(),
  dilation: count().optional(),
  frameLength: count().optional(),
  dot: range.optional(),
  dash: range.optional(),
  space: range.optional(),
  trainPerClass: count().optional(),
  valPerClass: count().optional(),
  testPerClass: count().optional(),
};

type Settings = { style: 'gray' | 'bw'; noiseSd: number; maxFlip: number; randomLeadingSpace: boolean; dilation: number; frameLength: number;
  dot: [number, number]; dash: [number, number]; space: [number, number]; trainPerClass: number; valPerClass: number; testPerClass: number };

/** `baseline`: clean gray frames with light noise; `difficult`: the paper's hard setting. */
export const presets: Record<'baseline' | 'difficult', Settings> = {
  baseline: { style: 'gray', noiseSd: 1, maxFlip: 0, randomLeadingSpace: false, dilation: 1, frameLength: 64, dot: [1, 3], dash: [4, 9], space: [1, 3], trainPerClass: 5000, valPerClass: 1000, testPerClass: 1000 },
  difficult: { style: 'gray', noiseSd: 4, maxFlip: 0, randomLeadingSpace: true, dilation: 1, frameLength: 64, dot: [1, 3], dash: [3, 9], space: [1, 3], trainPerClass: 5000, valPerClass: 1000, testPerClass: 1000 },
};

const between = (rng: Rng, [low, high]: [number, number]) => low + rng.int(high - low + 1);

/** One frame of the code, written into `out`. */
export function morseFrame(code: string, s: Settings, rng: Rng, out: Float32Array): void {
  const d = s.dilation;
  const frame = s.frameLength * d;
  const on: number[] = [];
  [...code].forEach((symbol, i) => {
    if (i > 0) for (let k = between(rng, s.space) * d; k > 0; k--) on.push(0);
    for (let k = between(rng, symbol === '.' ? s.dot : s.dash) * d; k > 0; k--) on.push(s.style === 'gray' ? 12 + 1.34 * rng.normal() : 1);
  });
  if (on.length > frame) throw new Error(`morse: code ${code} needs ${on.length} positions, the frame has ${frame}`);
  const lead = s.randomLeadingSpace ? rng.int(frame - on.length + 1) : 0;
  out.fill(0);
  on.forEach((v, i) => (out[lead + i] = v));
  if (s.style === 'gray') {
    for (let i = 0; i < frame; i++) out[i] = Math.round((Math.min(16, Math.max(0, out[i] + s.noiseSd * rng.normal())) / 16) * 1000) / 1000;
  } else {
    // flip k distinct positions, k ~ U{0..maxFlip}
    const k = Math.min(rng.int(s.maxFlip + 1), frame);
    const positions = Array.from({ length: frame }, (_, i) => i);
    for (let j = 0; j < k; j++) {
      const pick = j + rng.int(frame - j);
      [positions[j], positions[pick]] = [positions[pick], positions[j]];
      out[positions[j]] = 1 - out[positions[j]];
    }
  }
}

export function generate(s: Settings, perClass: number, rng: Rng): Examples {
  const width = s.frameLength * s.dilation;
  const rows = perClass * codebook.length;
  const x = new Float32Array(rows * width);
  const y = new Int32Array(rows);
  let r = 0;
  for (let c = 0; c < codebook.length; c++) {
    for (let n = 0; n < perClass; n++, r++) {
      morseFrame(codebook[c][1], s, rng, x.subarray(r * width, (r + 1) * width));
      y[r] = c;
    }
  }
  return { x, y };
}

/** A preset with the spec's own values over it. */
function settings(c: Record<string, unknown> & { preset: keyof typeof presets }): Settings {
  const base = presets[c.preset];
  return { ...base, ...Object.fromEntries(Object.entries(c).filter(([k, v]) => k in base && v !== undefined)) } as Settings;
}

export const morse = defineDataset({
  type: 'morse',
  summary: 'Morse code frames, 64 classes, generated from the seed (presets baseline, difficult)',
  schema: strictObject({ type: z.literal('morse'), ...options }),
  origin: () => ({ source: 'generated (docs/reference.md §7)', present: true }),
  notes: ['classes 1 (Ĥ) and 10 "(" share the code -.--., so no model can beat 63/64 = 98.44 % accuracy'],
  shape(c) {
    const s = settings(c);
    return { sampleShape: [1, 1, s.frameLength * s.dilation], classes: codebook.length };
  },
  async load(c, { seed }) {
    const s = settings(c);
    return {
      // one channel, one row: a dense layer reads it as a vector, conv2d with [1, k] kernels as a signal
      sampleShape: [1, 1, s.frameLength * s.dilation],
      classes: codebook.map(([symbol]) => symbol),
      train: generate(s, s.trainPerClass, Rng.stream(seed, 'morse-train')),
      val: generate(s, s.valPerClass, Rng.stream(seed, 'morse-val')),
      test: generate(s, s.testPerClass, Rng.stream(seed, 'morse-test')),
      source: `generated: ${c.preset} preset${Object.keys(c).length > 2 ? ' with overrides' : ''}`,
    };
  },
});
