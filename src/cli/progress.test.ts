import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { colors } from './color.js';

const chalk = await colors(1);
const plain = await colors(0);
import type { Io } from './io.js';
import { progressEvents, progressMode } from './progress.js';

function fakeIo(isTTY: boolean, colour: boolean) {
  const out = Object.assign(new PassThrough(), { isTTY, columns: 120 });
  let text = '';
  out.on('data', (d) => (text += d.toString()));
  const io: Io = { out, err: out, color: colour ? chalk : plain, env: {} };
  return { io, text: () => text };
}

const record = { epoch: 1, lr: 0.1, train_loss: 0.5, penalty: 0, train_acc: 0.8, val_loss: 0.4, val_acc: 0.9, train_seconds: 0.2, seconds: 0.25 };

test('mode: json and quiet win, else a terminal gets the bar', () => {
  assert.equal(progressMode(fakeIo(true, true).io, { json: true, quiet: true }), 'json');
  assert.equal(progressMode(fakeIo(true, true).io, { quiet: true }), 'quiet');
  assert.equal(progressMode(fakeIo(true, true).io, {}), 'tty');
  assert.equal(progressMode(fakeIo(false, false).io, {}), 'plain');
});

test('on a terminal: a cli-progress bar with loss, accuracy and rate, then a coloured epoch line', async () => {
  const { io, text } = fakeIo(true, true);
  const events = progressEvents(io, 'tty');
  await events.runStart?.({ firstEpoch: 1, epochs: 2, batchesPerEpoch: 2 });
  events.batchEnd?.({ epoch: 1, batch: 1, batches: 2, loss: 0.6, accuracy: 0.75, samples: 16 });
  events.batchEnd?.({ epoch: 1, batch: 2, batches: 2, loss: 0.5, accuracy: 0.8, samples: 32 });
  await events.epochEnd?.(record, { isBest: true, state: { epoch: 1, step: 2, wait: 0 } });
  const shown = text();
  assert.match(shown, /epoch 1\/2 .* 2\/2 loss 0\.5000 acc 80\.00% \d+ samples\/s ETA/);
  assert.match(shown, /\x1b\[1mepoch 1\/2\x1b\[22m  lr 0\.100  loss 0\.5000  acc 80\.00%  \x1b\[36mval_loss 0\.4000\x1b\[39m/);
  assert.match(shown, /\x1b\[32mbest\x1b\[39m\n$/);
});

test('plain, quiet and json output', async () => {
  for (const [mode, expected] of [
    ['plain', 'epoch 1/2  lr 0.100  loss 0.5000  acc 80.00%  val_loss 0.4000  val_acc 90.00%  0.25s\n'],
    ['quiet', ''],
    ['json', JSON.stringify({ event: 'epoch', ...record, best: false }) + '\n'],
  ] as const) {
    const { io, text } = fakeIo(false, false);
    const events = progressEvents(io, mode);
    await events.runStart?.({ firstEpoch: 1, epochs: 2, batchesPerEpoch: 1 });
    events.batchEnd?.({ epoch: 1, batch: 1, batches: 1, loss: 0.5, accuracy: 0.8, samples: 32 });
    await events.epochEnd?.(record, { isBest: false, state: { epoch: 1, step: 1, wait: 0 } });
    assert.equal(text(), expected, mode);
  }
});
