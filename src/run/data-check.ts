// data.json, a run's data fingerprint: written when a run starts; eval, predict, resume and
// reproduce compare it with the data as it is now and refuse changed data (eval and predict
// accept it with --allow-changed-data, and say so). Runs from before data.json are not checked.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../common/errors.js';
import type { ResolvedSpec } from '../config/spec.js';
import { dataChanges, dataFingerprintSchema, fingerprintData, hashFile, type DataFingerprint } from '../data/fingerprint.js';
import type { PreparedData } from '../data/prepare.js';
import { files } from './layout.js';

export const fingerprintOf = (spec: ResolvedSpec, data: PreparedData): Promise<DataFingerprint> =>
  fingerprintData(spec.data.dataset, data.source, data.files);

/** The run's data.json, or undefined for a run from before fingerprints. */
export async function readFingerprint(runDir: string): Promise<DataFingerprint | undefined> {
  const path = join(runDir, files.data);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    // no record (a run from before fingerprints, or a lone checkpoint: no folder around it)
    if (['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw new DataError(`${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DataError(`${path}: not valid JSON`);
  }
  const parsed = dataFingerprintSchema.safeParse(value);
  if (!parsed.success) throw new DataError(`${path}: not a data fingerprint (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/** Refuses data that differs from what the run recorded, naming the files. */
export function refuseChanges(runDir: string, changes: readonly string[], allowFlag: boolean): void {
  if (changes.length === 0) return;
  const allow = allowFlag ? '; pass --allow-changed-data to use it anyway' : '';
  throw new DataError(`${runDir}: the data differs from the data the run used: ${changes.join('; ')}${allow}`);
}

/**
 * The data a command has just loaded against the run's record: the differences when
 * `allowChanged`, else a DataError if there are any (`offerFlag`: mention --allow-changed-data).
 */
export async function checkRunData(runDir: string, spec: ResolvedSpec, data: PreparedData, o: { allowChanged?: boolean; offerFlag?: boolean } = {}): Promise<string[]> {
  const recorded = await readFingerprint(runDir);
  if (!recorded) return [];
  const changes = dataChanges(recorded, await fingerprintOf(spec, data));
  if (!o.allowChanged) refuseChanges(runDir, changes, o.offerFlag ?? false);
  return changes;
}

/** predict reads no training data: it checks the recorded files that are still there. */
export async function checkRecordedFiles(runDir: string, allowChanged: boolean): Promise<string[]> {
  const recorded = await readFingerprint(runDir);
  if (!recorded) return [];
  const now: DataFingerprint = { ...recorded, files: [] };
  for (const f of recorded.files) now.files.push(await hashFile(f.path).catch(() => f));
  const changes = dataChanges(recorded, now);
  if (!allowChanged) refuseChanges(runDir, changes, true);
  return changes;
}
