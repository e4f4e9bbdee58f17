// Reading a sweep folder back (DESIGN.md "A sweep folder"): sweep.json (the resolved sweep),
// summary.csv (a row per trial) and best.json, checked, with messages naming file and line.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { DataError } from '../common/errors.js';
import { parseCsv } from '../data/readers/csv.js';
import type { ParamValue, SweepData, Trial } from '../plots/sweep-data.js';
import { readJson } from './run-folder.js';
import { sweepFiles } from './sweep-folder.js';

export { sweepFiles };


const paramSchema = z.discriminatedUnion('kind', [
  z.object({ id: z.string(), kind: z.literal('float'), low: z.number(), high: z.number(), log: z.boolean().default(false), step: z.number().optional() }),
  z.object({ id: z.string(), kind: z.literal('int'), low: z.number(), high: z.number(), log: z.boolean().default(false), step: z.number().optional() }),
  z.object({ id: z.string(), kind: z.literal('categorical'), labels: z.array(z.string()).min(1), choices: z.array(z.unknown()).optional() }),
]);

export const sweepJsonSchema = z.object({
  name: z.string(),
  method: z.string(),
  trials: z.number().int(),
  seed: z.number().int(),
  metric: z.string(),
  mode: z.enum(['min', 'max']),
  folds: z.number().int().min(2).nullable().default(null),
  params: z.array(paramSchema),
});

export type ReadSweepJson = z.output<typeof sweepJsonSchema>;

export const bestJsonSchema = z.object({
  trial: z.number().int(),
  value: z.number(),
  params: z.record(z.string(), z.unknown()),
  runDir: z.string(),
});

export type BestJson = z.output<typeof bestJsonSchema>;

export async function readSweepJson(dir: string): Promise<ReadSweepJson> {
  const path = join(dir, sweepFiles.sweep);
  const parsed = sweepJsonSchema.safeParse(await readJson(path));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DataError(`${path}: ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** best.json, or undefined while no trial has finished. */
export async function readBestJson(dir: string): Promise<BestJson | undefined> {
  const path = join(dir, sweepFiles.best);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  if ((JSON.parse(text) as { trial?: unknown }).trial === null) return undefined; // no trial finished
  const parsed = bestJsonSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new DataError(`${path}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

const numberCell = (cell: string, where: string): number | null => {
  if (cell === '') return null;
  const v = Number(cell);
  if (Number.isNaN(v) && cell !== 'NaN') throw new DataError(`${where}: expected a number, found '${cell}'`);
  return v;
};

/** summary.csv's rows as trials, the columns checked against sweep.json's params. */
export async function readSummary(dir: string, sweep: ReadSweepJson): Promise<Trial[]> {
  const path = join(dir, sweepFiles.summary);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new DataError(`${path}: missing; is ${dir} a dlx sweep folder?`);
  });
  const [head, ...records] = parseCsv(text, path);
  const expected = ['trial', 'status', ...sweep.params.map((p) => p.id), 'value', 'std', 'fold_values', 'best_epoch', 'seconds'];
  if (!head || head.fields.join(',') !== expected.join(',')) {
    throw new DataError(`${path}:1: expected the header ${expected.join(',')}, found ${head?.fields.join(',') ?? 'nothing'}`);
  }
  const at = (name: string) => expected.indexOf(name);
  return records.filter((r) => r.fields.some((f) => f !== '')).map((r) => {
    if (r.fields.length !== expected.length) throw new DataError(`${path}:${r.line}: expected ${expected.length} fields, found ${r.fields.length}`);
    const where = (column: string) => `${path}:${r.line}: ${column}`;
    const params: Record<string, ParamValue> = {};
    for (const p of sweep.params) {
      const cell = r.fields[at(p.id)];
      params[p.id] = cell === '' ? null : p.kind === 'categorical' ? cell : numberCell(cell, where(p.id));
    }
    const trial = numberCell(r.fields[at('trial')], where('trial'));
    if (trial === null) throw new DataError(`${where('trial')}: missing`);
    const folds = r.fields[at('fold_values')];
    return {
      trial,
      status: r.fields[at('status')],
      params,
      value: numberCell(r.fields[at('value')], where('value')),
      std: numberCell(r.fields[at('std')], where('std')),
      foldValues: folds === '' ? [] : folds.split(';').map((f) => numberCell(f, where('fold_values')) ?? NaN),
      bestEpoch: numberCell(r.fields[at('best_epoch')], where('best_epoch')),
      seconds: numberCell(r.fields[at('seconds')], where('seconds')),
    };
  });
}

export async function readSweep(dir: string): Promise<SweepData> {
  const sweep = await readSweepJson(dir);
  const trials = await readSummary(dir, sweep);
  return { name: sweep.name, method: sweep.method, metric: sweep.metric, mode: sweep.mode, folds: sweep.folds, params: sweep.params, trials };
}
