// `dlx report RUN_OR_SWEEP… -o report.html`: one self-contained HTML file with each folder's
// spec, metrics and plots, the differences between the runs' specs, and for a sweep its
// trial table. Plots are drawn afresh from the folders' files; nothing in them is changed.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic.js';
import { DataError } from '../common/errors.js';
import type { Cell, ReportModel, Section, Table } from '../plots/html.js';
import { compareRuns } from './compare.js';
import { files } from './layout.js';
import { folderKind } from './plot-target.js';
import { renderRunPlots } from './plots.js';
import { curveRow, readCurve, readMetrics, type RunMetrics } from './run-folder.js';
import { readBestJson, readSweep, readSweepJson, sweepFiles } from './sweep-read.js';
import { renderSweepPlots } from './sweep-plots.js';

const show = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
const num = (v: number | undefined): Cell => (v === undefined || !Number.isFinite(v) ? null : v);

async function runSection(runDir: string): Promise<Section> {
  const [metrics, records, spec] = await Promise.all([readMetrics(runDir), readCurve(runDir), readFile(join(runDir, files.spec), 'utf8')]);
  const rows = records.map(curveRow);
  const columns = Object.keys(rows[0] ?? {});
  const best = metrics.best ? rows.find((r) => r.epoch === metrics.best!.epoch) : undefined;
  const final = metrics.final ? curveRow(metrics.final) : undefined;
  const line = (label: string, r: Record<string, number> | undefined): Cell[] => [label, ...columns.map((c) => num(r?.[c]))];
  const test = metrics.test as { loss: number; accuracy: number; count: number } | undefined;
  const stopped = metrics.stoppedEarly as { epoch: number } | undefined;
  const facts: [string, string][] = [
    ['status', metrics.status],
    ['epochs', String(metrics.epochs)],
    ...(metrics.best ? [['best epoch', `${metrics.best.epoch} (${metrics.best.monitor} ${metrics.best.value})`] as [string, string]] : []),
    ...(stopped ? [['stopped early', `at epoch ${stopped.epoch}`] as [string, string]] : []),
    ...(metrics.restoredBest ? [['restored weights of epoch', show(metrics.restoredBest)] as [string, string]] : []),
    ...(test ? [['test', `loss ${test.loss.toFixed(4)}, accuracy ${(100 * test.accuracy).toFixed(2)} % (${test.count} samples)`] as [string, string]] : []),
    ...(metrics.params !== undefined ? [['parameters', show(metrics.params)] as [string, string]] : []),
  ];
  const table: Table = { headers: ['', ...columns], rows: [line('final', final), line('best', best)] };
  return { title: runDir, kind: 'run', facts, tables: [{ caption: 'Metrics', table }], plots: await renderRunPlots(runDir), spec };
}

function overview(runDirs: string[], metrics: RunMetrics[]): Table {
  return {
    headers: ['run', 'folder', 'status', 'epochs', 'best epoch', 'best val_loss', 'best val_acc', 'final val_loss', 'final val_acc'],
    rows: metrics.map((m, i) => [`run ${i + 1}`, runDirs[i], m.status, m.epochs, m.best?.epoch ?? null, num(m.best?.val_loss), num(m.best?.val_acc), num(m.final?.val_loss), num(m.final?.val_acc)]),
    sortable: true,
  };
}

async function sweepSection(dir: string): Promise<Section[]> {
  const { pedAnova } = await import('../plots/importance.js');
  const [json, sweep, best, spec] = await Promise.all([readSweepJson(dir), readSweep(dir), readBestJson(dir), readFile(join(dir, sweepFiles.spec), 'utf8')]);
  const ids = sweep.params.map((p) => p.id);
  const trials: Table = {
    headers: ['trial', 'status', ...ids, 'value', 'std', 'fold values', 'best epoch', 'seconds'],
    rows: sweep.trials.map((t) => [t.trial, t.status, ...ids.map((id) => t.params[id] ?? null), t.value, t.std, t.foldValues.map((v) => Number(v.toPrecision(4))).join('; '), t.bestEpoch, t.seconds]),
    sortable: true,
  };
  const importance: Table = {
    headers: ['parameter', 'share', 'Pearson divergence', 'trials'],
    rows: pedAnova(sweep.params, sweep.trials, sweep.mode).map((i) => [i.id, i.share, i.divergence, i.trials]),
  };
  const counts = [...new Set(sweep.trials.map((t) => t.status))].map((s) => `${sweep.trials.filter((t) => t.status === s).length} ${s}`).join(', ');
  const facts: [string, string][] = [
    ['method', `${json.method}, seed ${json.seed}`],
    ['objective', `${json.metric}, ${json.mode === 'min' ? 'minimized' : 'maximized'}${json.folds ? `, mean over ${json.folds} folds` : ''}`],
    ['trials', `${sweep.trials.length} of ${json.trials}: ${counts}`],
    ...(best ? [['best', `trial ${best.trial}: ${best.value} with ${Object.entries(best.params).map(([k, v]) => `${k}=${show(v)}`).join(', ')} (${best.runDir})`] as [string, string]] : []),
  ];
  const sections: Section[] = [{
    title: dir, kind: 'sweep', facts, spec,
    tables: [{ caption: 'Trials (click a header to sort)', table: trials }, { caption: 'Parameter importance (PED-ANOVA)', table: importance }],
    plots: await renderSweepPlots(dir),
  }];
  // the best trial's own run folder, when it is one (with folds, its folds are)
  const bestRun = best && join(dir, best.runDir);
  if (bestRun && (await stat(join(bestRun, files.curve)).then(() => true, () => false))) {
    sections.push({ ...(await runSection(bestRun)), title: `${bestRun} (the best trial)` });
  }
  return sections;
}

export async function buildReport(targets: string[]): Promise<ReportModel> {
  if (targets.length === 0) throw new DataError('no run or sweep folder given');
  const kinds = await Promise.all(targets.map(folderKind));
  const runs = targets.filter((_, i) => kinds[i] === 'run');
  const sections: Section[] = [];
  for (const [i, t] of targets.entries()) {
    if (kinds[i] === 'run') sections.push(await runSection(t));
    else sections.push(...(await sweepSection(t)));
  }
  const model: ReportModel = { title: targets.length === 1 ? `dlx report: ${targets[0]}` : `dlx report: ${targets.length} folders`, sections };
  if (runs.length > 1) {
    const c = await compareRuns(runs);
    model.overview = overview(runs, c.metrics.map((m) => m.metrics));
    model.differences = { headers: ['spec key', ...runs.map((_, i) => `run ${i + 1}`)], rows: c.differences.map((d) => [d.key, ...d.values.map(show)]) };
  }
  return model;
}

export async function writeReport(targets: string[], out: string): Promise<void> {
  const { reportHtml } = await import('../plots/html.js');
  const html = reportHtml(await buildReport(targets));
  await writeFileAtomic(out, html).catch((e: NodeJS.ErrnoException) => {
    throw new DataError(`${out}: cannot write (${e.code ?? String(e)})`);
  });
}
