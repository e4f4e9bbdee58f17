// Whether a run folder's files agree where they overlap: metrics.json against curve.csv (epochs,
// the final row, the best epoch and its values) and against the last checkpoint's training state
// (epoch, ended or not, best epoch). `dlx runs` lists a folder with problems as damaged, and
// `dlx reproduce` refuses it. States a crash can legitimately leave (curve.csv and the checkpoint
// one epoch ahead of metrics.json, which resume repairs) are not problems.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { DlxError } from '../common/errors.js';
import { curveColumns, files } from './layout.js';
import { readCurve, readJson } from './run-folder.js';

const row = z.object(Object.fromEntries(curveColumns.map((c) => [c, z.number()])) as Record<(typeof curveColumns)[number], z.ZodNumber>);

export const metricsSchema = z.looseObject({
  status: z.enum(['running', 'finished', 'stopped-early', 'interrupted', 'diverged', 'failed']),
  epochs: z.number().int().min(0),
  final: row.partial().optional(),
  best: z.object({ epoch: z.number().int(), monitor: z.string(), value: z.number(), val_loss: z.number().nullable(), val_acc: z.number().nullable().optional(), val_r2: z.number().nullable().optional() }).optional(),
  restoredBest: z.number().int().optional(),
  test: z.object({ loss: z.number(), accuracy: z.number().optional(), r2: z.number().optional(), count: z.number() }).optional(),
});
export type CheckedMetrics = z.infer<typeof metricsSchema>;

const stateSchema = z.looseObject({
  epoch: z.number().int(),
  stopped: z.object({ epoch: z.number().int(), reason: z.string() }).optional(),
  best: z.object({ epoch: z.number().int(), monitor: z.string(), value: z.number() }).optional(),
});

/** The training state in a checkpoint's header, without reading its tensors. */
export async function checkpointState(path: string): Promise<z.infer<typeof stateSchema>> {
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    const head = Buffer.alloc(8);
    await file.read(head, 0, 8, 0);
    const length = Number(head.readBigUInt64LE(0));
    if (size < 8 || length > size - 8) throw new Error('a header longer than the file');
    const header = Buffer.alloc(length);
    await file.read(header, 0, length, 8);
    const metadata = z.object({ __metadata__: z.object({ state: z.string() }) }).parse(JSON.parse(header.toString('utf8')));
    return stateSchema.parse(JSON.parse(metadata.__metadata__.state));
  } finally {
    await file.close();
  }
}

const ends = new Set(['finished', 'stopped-early']);

/** Every disagreement between the run's files, as `file: what` lines; [] for a sound folder. */
export async function checkRunFolder(dir: string): Promise<string[]> {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = await readJson(join(dir, files.metrics));
  } catch (e) {
    return [`${files.metrics}: ${e instanceof DlxError && /missing/.test(e.message) ? 'missing' : 'not valid JSON'}`];
  }
  const parsed = metricsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return [`${files.metrics}: ${issue?.path.join('.') || 'value'}: ${issue?.message}`];
  }
  const m = parsed.data;
  const curve = await readCurve(dir).catch((e: unknown) => {
    problems.push(e instanceof DlxError ? e.message.replace(`${join(dir, files.curve)}`, files.curve) : String(e));
    return undefined;
  });
  const state = await checkpointState(join(dir, files.lastCheckpoint)).catch((e: unknown) => {
    // a run with no epoch yet has no checkpoint
    if (m.epochs > 0 || (e as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${files.lastCheckpoint}: unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    return undefined;
  });
  const ended = ends.has(m.status);
  // after a crash, curve.csv and the checkpoint may be one epoch ahead of metrics.json
  const fits = (n: number) => n === m.epochs || (!ended && n === m.epochs + 1);
  if (curve) {
    curve.forEach((r, i) => {
      if (r.epoch !== i + 1) problems.push(`${files.curve}: row ${i + 1} is epoch ${r.epoch}`);
    });
    if (!fits(curve.length)) problems.push(`${files.metrics} says ${m.epochs} epochs, ${files.curve} has ${curve.length}`);
    const at = (epoch: number) => curve.find((r) => r.epoch === epoch);
    const last = at(m.epochs);
    if (m.final && last) {
      const restored = m.restoredBest !== undefined ? at(m.restoredBest) : undefined;
      // a restored best keeps that epoch's training columns and the re-measured validation ones
      const expected = restored ?? last;
      const columns = restored ? (['epoch', 'lr', 'train_loss', 'penalty', 'train_acc'] as const) : curveColumns;
      const off = columns.filter((c) => m.final?.[c] !== expected[c]);
      if (off.length > 0) problems.push(`${files.metrics}: final ${off.map((c) => `${c} ${m.final?.[c]}`).join(', ')} differ from ${files.curve} epoch ${expected.epoch} (${off.map((c) => expected[c]).join(', ')})`);
    }
    if (m.best) {
      const best = at(m.best.epoch);
      if (!best) problems.push(`${files.metrics}: best epoch ${m.best.epoch} is not in ${files.curve}`);
      else if (best.val_loss !== m.best.val_loss || best.val_acc !== m.best.val_acc) {
        problems.push(`${files.metrics}: best epoch ${m.best.epoch} has val_loss ${m.best.val_loss}, val_acc ${m.best.val_acc}; ${files.curve} has ${best.val_loss}, ${best.val_acc}`);
      }
    }
  }
  if (state) {
    if (!fits(state.epoch)) problems.push(`${files.metrics} says ${m.epochs} epochs, ${files.lastCheckpoint} is at epoch ${state.epoch}`);
    if (ended && !state.stopped) problems.push(`${files.metrics} says ${m.status}, ${files.lastCheckpoint} has not stopped`);
    if (ended && m.best && state.best && m.best.epoch !== state.best.epoch) {
      problems.push(`${files.metrics}: best epoch ${m.best.epoch}, ${files.lastCheckpoint}: ${state.best.epoch}`);
    }
  }
  return problems;
}
