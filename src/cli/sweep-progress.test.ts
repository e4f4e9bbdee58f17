import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { plainColors } from './color.js';
import type { Io } from './io.js';
import { sweepProgress } from './sweep-progress.js';

function fakeIo(isTTY: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY, columns: 120 });
  let text = '';
  out.on('data', (d) => (text += d.toString()));
  const io: Io = { out, err: out, color: plainColors, env: {} };
  return { io, text: () => text };
}

const record = { epoch: 2, lr: 0.1, train_loss: 0.5, penalty: 0, train_acc: 0.8, val_loss: 0.4, val_acc: 0.9, train_seconds: 0.2, seconds: 0.25 };

/** What a terminal shows after the escape codes are applied: the lines still on screen. */
function screen(raw: string): string[] {
  const lines: string[] = [];
  for (const part of raw.split(/(\x1b\[\d+A\x1b\[0J)/)) {
    const up = /\x1b\[(\d+)A/.exec(part);
    if (up) lines.splice(lines.length - Number(up[1]));
    else lines.push(...part.split('\n').filter((l, i, all) => i < all.length - 1 || l !== ''));
  }
  return lines;
}

test('on a terminal: epochs that come faster than every 100 ms are drawn once, the last of them', async () => {
  const { io, text } = fakeIo(true);
  const ev = sweepProgress(io, 'tty', () => 'val_loss');
  ev.trialStart?.(0, { 'optimizer.lr': 0.01 });
  const before = text().length;
  for (let e = 1; e <= 50; e++) ev.trialEpoch?.(0, undefined, { ...record, epoch: e }, 1 / e);
  assert.equal(text().length, before, 'no redraw within 100 ms of the last');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(text().slice(before).split('\x1b[0J').length, 2, 'one redraw');
  assert.deepEqual(screen(text()), ['trial 0: epoch 50 val_loss 0.02', 'trials: none ended; running 1; best -']);
});

test('on a terminal: a live line per running trial under a summary line; ended trials scroll above', async () => {
  const { io, text } = fakeIo(true);
  const ev = sweepProgress(io, 'tty', () => 'val_acc');
  ev.trialStart?.(0, { 'optimizer.lr': 0.01 });
  ev.trialStart?.(1, { 'optimizer.lr': 0.1 });
  ev.trialEpoch?.(1, undefined, record, 0.9);
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(screen(text()), [
    'trial 0: starting (optimizer.lr=0.01)',
    'trial 1: epoch 2 val_acc 0.9',
    'trials: none ended; running 2; best -',
  ]);
  ev.trialEnd?.(1, { status: 'finished', value: 0.93, bestEpoch: 4 }, { trial: 1, value: 0.93 });
  ev.trialEnd?.(0, { status: 'pruned', value: 0.5, bestEpoch: 1 }, { trial: 1, value: 0.93 });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(screen(text()), [
    'trial 1 finished: val_acc 0.93 (epoch 4)  — trials: finished 1; running 1; best trial 1: val_acc 0.93',
    'trial 0 pruned: val_acc 0.5 (epoch 1)  — trials: finished 1, pruned 1; running 0; best trial 1: val_acc 0.93',
    'trials: finished 1, pruned 1; running 0; best trial 1: val_acc 0.93',
  ]);
});

test('off a terminal: a plain line per started and ended trial; --json: one object per event', async () => {
  const plain = fakeIo(false);
  const ev = sweepProgress(plain.io, 'plain', () => 'val_loss');
  ev.trialStart?.(3, { optimizer: 'adam', 'optimizer[1].lr': 0.001 });
  ev.trialEpoch?.(3, undefined, record, 0.4);
  ev.trialEnd?.(3, { status: 'failed', value: null, reason: 'training diverged' }, undefined);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(plain.text().trim().split('\n'), [
    'trial 3 started: optimizer=adam optimizer[1].lr=0.001',
    'trial 3 failed: val_loss -: training diverged  — trials: failed 1; running 0; best -',
  ]);
  const json = fakeIo(false);
  const ej = sweepProgress(json.io, 'json', () => 'val_loss');
  ej.trialStart?.(0, { x: 1 });
  ej.trialEpoch?.(0, 2, record, 0.4);
  ej.trialEnd?.(0, { status: 'finished', value: 0.4, std: 0.1, foldValues: [0.3, 0.5] }, { trial: 0, value: 0.4 });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(json.text().trim().split('\n').map((l) => JSON.parse(l)), [
    { event: 'trial-start', trial: 0, values: { x: 1 } },
    { event: 'trial-epoch', trial: 0, fold: 2, epoch: 2, value: 0.4 },
    { event: 'trial-end', trial: 0, status: 'finished', value: 0.4, std: 0.1, foldValues: [0.3, 0.5] },
  ]);
});
