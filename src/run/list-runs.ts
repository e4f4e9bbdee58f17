// `dlx runs`: every run folder under a runs directory with its status and metrics.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { files } from './layout.js';

export interface RunRow {
  name: string;
  folder: string;
  path: string;
  /** When it started, from env.json (UTC, ISO 8601). */
  started: string | null;
  status: string;
  epochs: number | null;
  bestEpoch: number | null;
  bestValLoss: number | null;
  bestValAcc: number | null;
}

async function dirs(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

export async function listRuns(runsDir: string): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for (const name of await dirs(runsDir)) {
    for (const folder of await dirs(join(runsDir, name))) {
      const path = join(runsDir, name, folder);
      const metrics = await readFile(join(path, files.metrics), 'utf8').then(JSON.parse).catch(() => undefined) as
        | { status?: string; epochs?: number; best?: { epoch: number; val_loss: number; val_acc: number } }
        | undefined;
      if (metrics === undefined) continue; // not a run folder
      const env = await readFile(join(path, files.env), 'utf8').then(JSON.parse).catch(() => ({})) as { startedAt?: string };
      rows.push({
        name,
        folder,
        path,
        started: env.startedAt ?? null,
        status: metrics.status ?? 'unknown',
        epochs: metrics.epochs ?? null,
        bestEpoch: metrics.best?.epoch ?? null,
        bestValLoss: metrics.best?.val_loss ?? null,
        bestValAcc: metrics.best?.val_acc ?? null,
      });
    }
  }
  return rows;
}
