// What travels through Redis, as zod schemas: a job (coordinator → worker), the messages of a
// trial while it runs (worker → coordinator, a stream), and a job's result (its return value).
// Both ends validate what they read: a worker trusts no job, a coordinator no result.
// A finished trial's files travel beside the result, as a bundle (files.ts).
import * as z from 'zod';
import { validateValue } from '../../config/load.js';
import type { ResolvedSpec } from '../../config/spec.js';

/** A data file sent through Redis: at most this many bytes (README "Many machines"). */
export const maxDataBytes = 256 * 1024 * 1024;
/** A job's JSON: at most this many characters. */
export const maxJobChars = 1024 * 1024;
/** A trial's files sent back: at most this many bytes in all. */
export const maxResultBytes = 256 * 1024 * 1024;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, { message: 'expected a SHA-256 in hex' });
/** The name a data file has in the worker's scratch folder: its digest and an extension. */
export const dataName = z.string().regex(/^[0-9a-f]{64}\.[a-z0-9]{1,8}(\.gz)?$/, { message: 'expected <sha256>.<ext>' });

export const queueJobSchema = z.strictObject({
  v: z.literal(1),
  /** The queue (sweep) the job belongs to; a worker refuses a job from another queue. */
  sweep: z.string().min(1).max(200),
  trial: z.number().int().min(0).max(1_000_000),
  attempt: z.number().int().min(0).max(1000),
  folds: z.array(z.strictObject({ fold: z.number().int().min(1).max(100).optional(), spec: z.unknown() })).min(1).max(100),
  backend: z.enum(['native', 'wasm', 'reference']),
  ask: z.boolean(),
  /** sweep.writeEvery. */
  writeEvery: z.number().min(0).max(3600),
  argv: z.array(z.string().max(1000)).max(100),
  /** Data files the specs name (by dataName), stored in Redis under their digest. */
  data: z.array(z.strictObject({ name: dataName, sha256, bytes: z.number().int().min(0).max(maxDataBytes) })).max(8),
  /** A built-in dataset's files as the coordinator has them; the worker's must match. */
  builtin: z.array(z.strictObject({ file: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/), sha256 })).max(8),
  enqueuedAt: z.number(),
});
export type QueueJob = z.infer<typeof queueJobSchema>;

/** The dataset fields that name files, per dataset type. */
const fileFields: Record<string, readonly string[]> = { csv: ['path', 'testPath'], idx: ['images', 'labels', 'testImages', 'testLabels'] };

export function datasetFiles(spec: ResolvedSpec): { field: string; value: string }[] {
  const d = spec.data.dataset as Record<string, unknown> & { type: string };
  return (fileFields[d.type] ?? []).flatMap((field) => (typeof d[field] === 'string' ? [{ field, value: d[field] as string }] : []));
}

/** A job that passed every check, its specs resolved again by the spec schema. */
export interface CheckedJob {
  job: QueueJob;
  specs: ResolvedSpec[];
}

/** Why a job is refused, or the job; `queue` is the queue it came from. */
export function checkJob(data: unknown, queue: string): { ok: true; value: CheckedJob } | { ok: false; reason: string } {
  let size: number;
  try {
    size = JSON.stringify(data)?.length ?? 0;
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (size > maxJobChars) return { ok: false, reason: `${size} characters, more than the ${maxJobChars} a job may have` };
  const parsed = queueJobSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(job)'}: ${i.message}`).join('; ') };
  const job = parsed.data;
  if (job.sweep !== queue) return { ok: false, reason: `the job names sweep '${job.sweep}' but came from queue '${queue}'` };
  const specs: ResolvedSpec[] = [];
  for (const [i, f] of job.folds.entries()) {
    const v = validateValue(f.spec);
    if (!v.ok) return { ok: false, reason: `folds.${i}.spec: ${v.problems.slice(0, 5).join('; ')}` };
    // a worker reads no path named in a job: data files are named by digest, sent with the job
    for (const { field, value } of datasetFiles(v.resolved)) {
      if (!dataName.safeParse(value).success || !job.data.some((d) => d.name === value)) {
        return { ok: false, reason: `folds.${i}.spec: data.dataset.${field}: '${value.slice(0, 100)}' is a path; a worker reads only data files sent through Redis` };
      }
    }
    specs.push(v.resolved);
  }
  return { ok: true, value: { job, specs } };
}

// JSON turns NaN (a diverged epoch) into null; read it back as NaN
const num = z.number().nullable().transform((v) => v ?? Number.NaN);
const epochRecord = z.strictObject({
  epoch: z.number().int().min(1), lr: num, train_loss: num, penalty: num, val_loss: num, train_seconds: num, seconds: num,
  // classification's accuracies, regression's errors, train.log's norms: present when the run has them
  train_acc: num.optional(), val_acc: num.optional(), val_mae: num.optional(), val_rmse: num.optional(), val_r2: num.optional(),
  extra: z.record(z.string().max(100), num).refine((r) => Object.keys(r).length <= 1000, { message: 'too many extra columns' }).optional(),
});

/** Worker → coordinator, on the sweep's stream; `token` tells one delivery of a job from another. */
export const workerMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), host: z.string().max(300), at: z.number() }),
  z.strictObject({ type: z.literal('epoch'), fold: z.number().int().optional(), record: epochRecord }),
  z.strictObject({ type: z.literal('decide'), record: epochRecord }),
  z.strictObject({ type: z.literal('ended') }),
  /** The delivery's bundle is in Redis (its job completes next): the coordinator may write it ahead. */
  z.strictObject({ type: z.literal('stored'), bytes: z.number().int().min(0), sha256 }),
]);
export type WorkerMessage = z.infer<typeof workerMessageSchema>;

/**
 * A job's return value: small. A finished trial's files are a bundle (files.ts) the worker
 * stored under keys.result(queue, job, delivery) — not the return value, which BullMQ would
 * copy into its event stream as well and keep there long after the job is gone.
 */
export const resultSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('done'),
    host: z.string().max(300),
    finishedAt: z.number(),
    delivery: z.string().regex(/^[A-Za-z0-9:_-]{1,100}$/),
    bytes: z.number().int().min(0).max(maxResultBytes + (1 << 20)),
    sha256,
  }),
  z.strictObject({ kind: z.literal('error'), host: z.string().max(300), finishedAt: z.number(), exitCode: z.number().int(), message: z.string().max(20_000) }),
]);
export type TrialResultValue = z.infer<typeof resultSchema>;
