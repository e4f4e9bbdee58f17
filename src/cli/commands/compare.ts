// dlx compare RUN…: the spec differences and metrics of runs (a sweep stands for its trials).
import { fixed, line, percent, table, type Io } from '../io.js';

export async function compareAction(io: Io, _signal: AbortSignal, runs: string[], flags: { json?: boolean; plot?: string }): Promise<void> {
  const { compareRuns, writeCompareOverlay } = await import('../../run/compare.js');
  const c = await compareRuns(runs);
  if (flags.plot) await writeCompareOverlay(c.runs, flags.plot);
  if (flags.json) {
    line(io.out, JSON.stringify(c));
    return;
  }
  const headers = ['', ...c.runs.map((_, i) => `run ${i + 1}`)];
  c.runs.forEach((r, i) => line(io.out, `run ${i + 1}: ${r}`));
  line(io.out);
  const show = (v: unknown) => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v));
  line(io.out, c.differences.length === 0 ? 'the specs are the same' : table(['spec key', ...headers.slice(1)], c.differences.map((d) => [d.key, ...d.values.map(show)])));
  line(io.out);
  const m = c.metrics.map((x) => x.metrics);
  line(io.out, table(['metric', ...headers.slice(1)], [
    ['status', ...m.map((x) => x.status)],
    ['epochs', ...m.map((x) => String(x.epochs))],
    ['final val_loss', ...m.map((x) => fixed(x.final?.val_loss))],
    ['final val_acc', ...m.map((x) => percent(x.final?.val_acc))],
    ['best epoch', ...m.map((x) => String(x.best?.epoch ?? '-'))],
    ['best val_loss', ...m.map((x) => fixed(x.best?.val_loss))],
    ['best val_acc', ...m.map((x) => percent(x.best?.val_acc))],
  ]));
}
