// What `dlx train` shows while it runs: on a terminal a cli-progress bar per epoch and a
// coloured line per epoch; off a terminal one plain line per epoch; --quiet nothing until the
// end; --json one JSON object per epoch on stdout and nothing else there.
import cliProgress from 'cli-progress';
import type { BatchProgress, EpochRecord, TrainEvents } from '../train/loop.js';
import { fixed, line, percent, type Io } from './io.js';

export type ProgressMode = 'tty' | 'plain' | 'quiet' | 'json';

export function progressMode(io: Io, flags: { quiet?: boolean; json?: boolean }): ProgressMode {
  if (flags.json) return 'json';
  if (flags.quiet) return 'quiet';
  return io.out.isTTY ? 'tty' : 'plain';
}

export function epochLine(io: Io, r: EpochRecord, epochs: number, isBest: boolean): string {
  const c = io.color;
  return [
    c.bold(`epoch ${r.epoch}/${epochs}`),
    `lr ${r.lr.toPrecision(3)}`,
    `loss ${fixed(r.train_loss)}`,
    r.penalty > 0 ? `penalty ${fixed(r.penalty)}` : '',
    r.train_acc === undefined ? '' : `acc ${percent(r.train_acc)}`,
    c.cyan(`val_loss ${fixed(r.val_loss)}`),
    r.val_acc === undefined ? '' : c.cyan(`val_acc ${percent(r.val_acc)}`),
    r.val_r2 === undefined ? '' : c.cyan(`val_mae ${r.val_mae?.toPrecision(4)} val_rmse ${r.val_rmse?.toPrecision(4)} val_r2 ${fixed(r.val_r2)}`),
    `${r.seconds.toFixed(2)}s`,
    isBest ? c.green('best') : '',
  ].filter(Boolean).join('  ');
}

export function progressEvents(io: Io, mode: ProgressMode): TrainEvents {
  let epochs = 0;
  let bar: cliProgress.SingleBar | undefined;
  let started = 0;
  return {
    runStart(info) {
      epochs = info.epochs;
    },
    batchEnd(p: BatchProgress) {
      if (mode !== 'tty') return;
      if (!bar) {
        started = performance.now();
        bar = new cliProgress.SingleBar({
          stream: io.out as NodeJS.WriteStream,
          format: `epoch ${p.epoch}/${epochs} {bar} {value}/{total} loss {loss} acc {acc} {rate} samples/s ETA {eta}s`,
          hideCursor: true,
          clearOnComplete: true,
          noTTYOutput: false,
        }, cliProgress.Presets.shades_classic);
        bar.start(p.batches, 0, { loss: '-', acc: '-', rate: '-' });
      }
      const rate = p.samples / Math.max((performance.now() - started) / 1000, 1e-9);
      bar.update(p.batch, { loss: fixed(p.loss), acc: percent(p.accuracy), rate: rate.toFixed(0) });
    },
    epochEnd(r, { isBest }) {
      if (bar) {
        bar.stop();
        bar = undefined;
      }
      if (mode === 'tty' || mode === 'plain') line(io.out, epochLine(io, r, epochs, isBest));
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'epoch', ...r, best: isBest }));
    },
  };
}
