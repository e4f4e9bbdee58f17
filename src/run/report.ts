// `dlx report RUN_OR_SWEEP… -o report.html`: one self-contained HTML file with each folder's
// spec, metrics and plots, the differences between the runs' specs, and for a sweep its
// trial table. Plots are drawn afresh from the folders' files; nothing in them is changed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../common/atomic.js';
import { DataError } from '../common/errors.js';
import type { Cell, ReportModel, Section, Table } from '../plots/html.js';
import { compareRuns } from './compare.js';
import { files } from './layout.js';
import { folderKind } from './plot-target.js';
import { renderRunPlots } from './plots.js';
import { curveRow, readCurve, readMetrics, type RunMetrics } from './run-folder.js';

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

export async function buildReport(targets: string[]): Promise<ReportModel> {
  if (targets.length === 0) throw new DataError('no run or sweep folder given');
  const kinds = await Promise.all(targets.map(folderKind));
  const runs = targets.filter((_, i) => kinds[i] === 'run');
  const sections: Section[] = [];
  for (const [i, t] of targets.entries()) {
    if (kinds[i] === 'run') sections.push(await runSection(t));
    else throw new DataError(`${t}: sweep reports are not written yet`);
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
