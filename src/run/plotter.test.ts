// The plot worker draws the same bytes as drawing in-process; bad folders are errors, not hangs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeSweep } from '../../test/fake-sweep.js';
import { tempDir } from '../../test/helpers.js';
import { drawRequest, type PlotRequest, type RunPlotInputs } from './draw-plots.js';
import { plotPlace } from './plot-thread.js';
import { startPlotter } from './plotter.js';
import { linearCorners } from './plots.js';
import { readSweep } from './sweep-read.js';

const inputs: RunPlotInputs = {
  rows: Array.from({ length: 6 }, (_, i) => ({ epoch: i + 1, lr: 0.1, train_loss: 1 / (i + 1), train_acc: 0.5 + i / 20, val_loss: 1.2 / (i + 1), val_acc: 0.45 + i / 20 })),
  marks: { best: { epoch: 5, monitor: 'val_loss' }, stoppedEarly: 6 },
  lr: { per: 'update', points: [{ step: 0, lr: 0 }, { step: 10, lr: 0.1 }, { step: 59, lr: 0.01 }] },
  confusion: [{ split: 'val', classes: ['a', 'b', 'c'], counts: [[5, 1, 0], [0, 4, 2], [1, 0, 6]] }],
  bestEpoch: 5,
  layers: [{ name: 'layer 0 (dense)', shape: [4, 5], values: Float32Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 0 : Math.sin(i))) }],
};

const read = (dir: string) => Object.fromEntries(readdirSync(join(dir, 'plots')).sort().map((f) => [f, readFileSync(join(dir, 'plots', f), 'utf8')]));

test('a run\'s plots from the worker (asked during and after its warm-up) are the bytes drawn in-process', async () => {
  const here = tempDir();
  await drawRequest({ kind: 'run', dir: here, inputs });
  const early = tempDir();
  const written = await startPlotter('run', 'worker').draw({ kind: 'run', dir: early, inputs });
  assert.deepEqual(written.files.map((f) => f.slice(early.length + 1)), ['plots/curves.svg', 'plots/lr.svg', 'plots/confusion.svg', 'plots/weights.svg']);
  const late = tempDir();
  const plotter = startPlotter('run', 'worker');
  await new Promise((r) => setTimeout(r, 1500));
  await plotter.draw({ kind: 'run', dir: late, inputs });
  assert.deepEqual(read(early), read(here));
  assert.deepEqual(read(late), read(here));
});

test('a sweep\'s plots from the worker are the bytes drawn in-process', async () => {
  const dir = fakeSweep(tempDir(), { trials: 12 });
  const request: PlotRequest = { kind: 'sweep', dir, sweep: await readSweep(dir) };
  await drawRequest(request);
  const here = read(dir);
  await startPlotter('sweep').draw(request);
  assert.deepEqual(read(dir), here);
  assert.ok(Object.keys(here).includes('parallel.svg'));
});

test('a folder the worker cannot write to rejects with the system\'s message; a closed plotter draws in-process', async () => {
  const file = join(tempDir(), 'not-a-folder');
  writeFileSync(file, '');
  await assert.rejects(startPlotter('run', 'worker').draw({ kind: 'run', dir: file, inputs }), /ENOTDIR|not a directory/);
  const plotter = startPlotter('run', 'worker');
  plotter.close();
  const dir = tempDir();
  await plotter.draw({ kind: 'run', dir, inputs });
  assert.equal(Object.keys(read(dir)).length, 4);
});

test('a run draws in a worker only where a core idles beyond its training threads; a sweep always does; drawing here writes the same bytes', async () => {
  assert.equal(plotPlace('run', 2, 0), 'here', 'a run trains on both cores');
  assert.equal(plotPlace('run', 8, 0), 'here');
  assert.equal(plotPlace('run', 16, 7), 'worker', '8 training threads, 7 cores busy, one idle');
  assert.equal(plotPlace('run', 16, 7.5), 'here');
  assert.equal(plotPlace('sweep', 2, 4), 'worker');
  const worker = tempDir();
  await startPlotter('run', 'worker').draw({ kind: 'run', dir: worker, inputs });
  const here = tempDir();
  const plotter = startPlotter('run', 'here');
  const written = await plotter.draw({ kind: 'run', dir: here, inputs });
  assert.equal(written.files.length, 4);
  assert.deepEqual(read(here), read(worker));
  plotter.close();
});

test('linearCorners keeps the ends and the points where the slope changes', () => {
  const tri = Array.from({ length: 41 }, (_, step) => ({ step, lr: 0.1 - Math.abs((step % 20) - 10) * 0.01 }));
  assert.deepEqual(linearCorners(tri).map((p) => p.step), [0, 10, 20, 30, 40]);
  assert.deepEqual(linearCorners([{ step: 0, lr: 0.1 }, { step: 1, lr: 0.1 }, { step: 2, lr: 0.1 }]).map((p) => p.step), [0, 2]);
  const cosine = Array.from({ length: 50 }, (_, step) => ({ step, lr: 0.05 * (1 + Math.cos((Math.PI * step) / 49)) }));
  assert.equal(linearCorners(cosine).length, 50, 'a curve keeps every point');
});
