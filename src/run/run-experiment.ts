// `dlx train`: validate, load and prepare the data, build the model, then train while writers
// keep the run folder current. The folder is staged under a hidden name and appears under its
// real name only once the first epoch is written; a failure before that leaves nothing.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic } from '../common/atomic.js';
import { DivergedError, DlxError, InterruptedError } from '../common/errors.js';
import { loadSpec } from '../config/load.js';
import type { Override } from '../config/overrides.js';
import type { ResolvedSpec } from '../config/spec.js';
import type { SummaryRow } from '../nn/model.js';
import { saveCheckpoint } from '../train/checkpoint.js';
import { train, type EpochRecord, type TrainEvents } from '../train/loop.js';
import { build } from './build.js';
import { curveColumns, files, runFolderName, stagingName } from './layout.js';
import { dlxVersion } from './version.js';

export interface TrainOptions {
  specFile: string;
  overrides: Override[];
  runsDir: string;
  backend: string;
  argv: string[];
  signal?: AbortSignal;
  /** Called once the model is built, before training. */
  onReady?(info: { runDir: string; spec: ResolvedSpec; summary: SummaryRow[]; totalParams: number }): void;
  events?: TrainEvents;
}

export interface RunResult {
  runDir: string;
  spec: ResolvedSpec;
  final: EpochRecord;
  best: { epoch: number; val_loss: number; val_acc: number };
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).toString().trim();
  } catch {
    return null;
  }
}

export function curveCsv(rows: readonly EpochRecord[]): string {
  return stringify(rows.map((r) => curveColumns.map((c) => r[c])), { header: true, columns: [...curveColumns] });
}

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

export async function runExperiment(options: TrainOptions): Promise<RunResult> {
  const loaded = await loadSpec(options.specFile, options.overrides);
  const spec = loaded.resolved;
  const built = await build(spec, options.specFile, options.backend);
  const { model, optimizer, schedule, data, rngs } = built;

  const start = new Date();
  const folder = runFolderName(start, randomBytes(3).toString('hex'));
  const parent = join(resolve(options.runsDir), spec.name);
  const runDir = join(parent, folder);
  const staging = join(parent, stagingName(folder));
  const firstCreated = await mkdir(join(staging, files.checkpoints), { recursive: true });
  let promoted = false;
  let metrics: Record<string, unknown> = {};
  const dirNow = () => (promoted ? runDir : staging);
  try {
    await writeFileAtomic(join(staging, files.spec), loaded.text);
    await writeFileAtomic(join(staging, files.resolved), json(spec));
    await writeFileAtomic(join(staging, files.overrides), json(Object.fromEntries(loaded.overrides.map((o) => [o.path.join('.'), o.value]))));
    await writeFileAtomic(join(staging, files.env), json({
      dlxVersion,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      backend: built.backend.name,
      threads: 1,
      argv: options.argv,
      cwd: process.cwd(),
      specFile: resolve(options.specFile),
      gitCommit: gitCommit(),
      dataSource: data.source,
      startedAt: start.toISOString(),
    }));
    await writeFileAtomic(join(staging, files.preprocessing), json({ steps: data.preprocessing }));

    const summary = model.summary();
    options.onReady?.({ runDir, spec, summary, totalParams: summary.reduce((a, r) => a + r.params, 0) });

    const curve: EpochRecord[] = [];
    let best: RunResult['best'] | undefined;
    const metadata = { spec: JSON.stringify(spec), dlxVersion };
    const writers: TrainEvents = {
      async epochEnd(record, { isBest, state }) {
        const dir = dirNow();
        curve.push(record);
        const parts = { model, optimizer, rngs, state, metadata };
        await saveCheckpoint(join(dir, files.lastCheckpoint), parts);
        if (isBest) {
          await saveCheckpoint(join(dir, files.bestCheckpoint), parts);
          best = { epoch: record.epoch, val_loss: record.val_loss, val_acc: record.val_acc };
        }
        await writeFileAtomic(join(dir, files.curve), curveCsv(curve));
        metrics = {
          status: record.epoch === spec.train.epochs ? 'finished' : 'running',
          epochs: record.epoch,
          final: record,
          best,
          params: summary.reduce((a, r) => a + r.params, 0),
        };
        await writeFileAtomic(join(dir, files.metrics), json(metrics));
        if (!promoted) {
          await rename(staging, runDir);
          promoted = true;
        }
      },
    };
    await train({
      model, optimizer, schedule, data, config: spec.train, shuffleRng: rngs.shuffle, regularization: spec.regularization,
      state: { epoch: 0, step: 0 }, signal: options.signal,
      events: options.events ? [writers, options.events] : [writers],
    });
    return { runDir, spec, final: curve[curve.length - 1], best: best! };
  } catch (e) {
    if (!promoted) {
      await rm(firstCreated ?? staging, { recursive: true, force: true });
    } else if (e instanceof DlxError) {
      const status = e instanceof DivergedError ? 'diverged' : e instanceof InterruptedError ? 'interrupted' : 'failed';
      await writeFileAtomic(join(runDir, files.metrics), json({ ...metrics, status }));
      e.message += `\nthe run folder keeps the last completed epoch: ${runDir}`;
    }
    throw e;
  }
}
