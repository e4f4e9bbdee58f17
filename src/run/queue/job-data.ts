// A trial as the queue carries it: the resolved spec(s), with each data file the spec names
// replaced by its SHA-256 (the file itself stored once in Redis), and the digests of the
// built-in dataset files the worker must have alike. Nothing else of the coordinator's machine.
import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { Redis } from 'ioredis';
import type { ResolvedSpec } from '../../config/spec.js';
import { fromSpec } from '../../data/dataset.js';
import { shippedDatasetPath } from '../../data/package-root.js';
import { decodeSafetensors, encodeSafetensors } from '../../train/safetensors.js';
import { files as runFiles } from '../layout.js';
import type { TrialJob } from '../trial.js';
import { keys } from './connection.js';
import { sha256Of } from './files.js';
import { datasetFiles, maxDataBytes, type QueueJob } from './messages.js';

/** The files of the datasets shipped in datasets/: a worker's copy must have the same digest. */
const shippedFiles: Record<string, string> = {
  iris: 'iris.csv', wine: 'wine_data.csv', 'breast-cancer-diagnostic': 'breast_cancer.csv',
  'breast-cancer-original': 'breast-cancer-wisconsin.data', digits: 'digits.csv.gz',
};

export function jobBuilder(redis: Redis, name: string) {
  const digests = new Map<string, { sha256: string; bytes: number }>();
  const shippedDigests = new Map<string, string>();
  /** A data file the spec names: its digest, and the file in Redis (sent when not there yet). */
  const upload = async (path: string): Promise<{ sha256: string; bytes: number }> => {
    let d = digests.get(path);
    let bytes: Buffer | undefined;
    if (!d) {
      bytes = await readFile(path).catch(() => undefined);
      if (!bytes) throw new Error(`${path}: cannot read the data file`);
      if (bytes.length > maxDataBytes) throw new Error(`${path}: ${bytes.length} bytes, more than the ${maxDataBytes} a data file may have on the queue`);
      d = { sha256: sha256Of(bytes), bytes: bytes.length };
      digests.set(path, d);
    }
    const key = keys.blob(d.sha256);
    if ((await redis.expire(key, 7 * 86400)) === 0) {
      bytes ??= await readFile(path);
      await redis.set(key, bytes, 'EX', 7 * 86400);
    }
    return d;
  };

  /** The job as the worker sees it: data paths replaced by the files' digests. */
  const jobData = async (job: TrialJob, attempt: number): Promise<QueueJob> => {
    const data: QueueJob['data'] = [];
    const builtin: QueueJob['builtin'] = [];
    const folds: QueueJob['folds'] = [];
    for (const f of job.folds) {
      const spec = structuredClone(f.spec) as ResolvedSpec;
      const dataset = spec.data.dataset as Record<string, unknown>;
      for (const { field, value } of datasetFiles(f.spec)) {
        const d = await upload(fromSpec(value, dirname(job.specFile)));
        const ext = extname(value.replace(/\.gz$/, '')).replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 8) || 'bin';
        const fileName = `${d.sha256}.${ext}${value.endsWith('.gz') ? '.gz' : ''}`;
        dataset[field] = fileName;
        if (!data.some((x) => x.name === fileName)) data.push({ name: fileName, sha256: d.sha256, bytes: d.bytes });
      }
      const shipped = shippedFiles[f.spec.data.dataset.type];
      if (shipped && !builtin.some((b) => b.file === shipped)) {
        if (!shippedDigests.has(shipped)) shippedDigests.set(shipped, sha256Of(await readFile(shippedDatasetPath(shipped))));
        builtin.push({ file: shipped, sha256: shippedDigests.get(shipped)! });
      }
      folds.push({ ...(f.fold !== undefined && { fold: f.fold }), spec });
    }
    return { v: 1, sweep: name, trial: job.trial, attempt, folds, backend: job.backend === 'reference' || job.backend === 'native' ? job.backend : 'wasm', ask: job.ask, writeEvery: job.writeEvery, argv: job.argv, data, builtin, enqueuedAt: Date.now() };
  };

  return {
    jobData,
    /** Puts the job's data files in Redis again where they are missing (a restarted Redis). */
    async resend(job: QueueJob): Promise<void> {
      for (const d of job.data) {
        const path = [...digests.entries()].find(([, v]) => v.sha256 === d.sha256)?.[0];
        if (path) await upload(path);
      }
    },
  };
}

/** Checkpoints (by name) with their embedded spec and spec file set to the coordinator's own. */
export function restoreCheckpointSpecs(files: Record<string, Uint8Array>, spec: ResolvedSpec, specFile: string): void {
  // best.safetensors is often last.safetensors: the same bytes rewritten once
  const done = new Map<Uint8Array, Uint8Array>();
  for (const name of Object.keys(files).filter((n) => n.startsWith(`${runFiles.checkpoints}/`) && n.endsWith('.safetensors'))) {
    const source = files[name];
    const same = [...done.keys()].find((b) => b.buffer === source.buffer && b.byteOffset === source.byteOffset && b.length === source.length);
    if (same) {
      files[name] = done.get(same)!;
      continue;
    }
    const decoded = decodeSafetensors(source, name);
    if (decoded.metadata.spec === undefined) continue;
    const metadata: Record<string, string> = { ...decoded.metadata, spec: JSON.stringify(spec) };
    if (metadata.env !== undefined) metadata.env = JSON.stringify({ ...(JSON.parse(metadata.env) as Record<string, unknown>), specFile });
    files[name] = encodeSafetensors(decoded.tensors, metadata);
    done.set(source, files[name]);
  }
}
