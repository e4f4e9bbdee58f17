// A run's data fingerprint: the dataset's identity (its resolved config and source) and the
// size and SHA-256 of every file its loader read, so that later commands can tell when the data
// under a run has changed. Files are hashed once each, streaming (no second copy in memory).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import * as z from 'zod';
import { DataError } from '../common/errors.js';

export const fileFingerprintSchema = z.object({ path: z.string(), bytes: z.number().int().min(0), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type FileFingerprint = z.output<typeof fileFingerprintSchema>;

export const dataFingerprintSchema = z.object({
  /** The resolved `data.dataset` config: a built-in's name and options, or the user's paths. */
  dataset: z.record(z.string(), z.unknown()),
  source: z.string(),
  files: z.array(fileFingerprintSchema),
});
export type DataFingerprint = z.output<typeof dataFingerprintSchema>;

/** Streams the file through SHA-256 in 4 MiB reads (Fashion-MNIST's 55 MB: about 0.2 s here). */
export async function hashFile(path: string): Promise<FileFingerprint> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(4 << 20);
      for (let n; (n = (await handle.read(buffer, 0, buffer.length, null)).bytesRead) > 0; bytes += n) hash.update(buffer.subarray(0, n));
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw new DataError(`${path}: cannot read the file to fingerprint it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return { path, bytes, sha256: hash.digest('hex') };
}

export async function fingerprintData(dataset: Record<string, unknown>, source: string, files: readonly string[]): Promise<DataFingerprint> {
  const hashed: FileFingerprint[] = [];
  for (const f of files) hashed.push(await hashFile(f));
  return { dataset, source, files: hashed };
}

/**
 * How the data now differs from what a run recorded, one line per file (empty when it is the
 * same). Files are matched by position, so a dataset found at another path with the same bytes
 * (a moved folder, another copy) is the same data.
 */
export function dataChanges(recorded: DataFingerprint, now: DataFingerprint): string[] {
  const changes: string[] = [];
  const n = Math.max(recorded.files.length, now.files.length);
  for (let i = 0; i < n; i++) {
    const [was, is] = [recorded.files[i], now.files[i]];
    if (!was) changes.push(`${is!.path}: not read by the run`);
    else if (!is) changes.push(`${was.path}: read by the run, not now`);
    else if (was.sha256 !== is.sha256) {
      const size = was.bytes === is.bytes ? `same size, ${is.bytes} bytes` : `${was.bytes} bytes then, ${is.bytes} now`;
      changes.push(`${is.path}: changed since the run read it (${size}; SHA-256 ${is.sha256.slice(0, 12)}…, the run recorded ${was.sha256.slice(0, 12)}…)`);
    }
  }
  return changes;
}
