import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { curveRow, readCurve } from './run-folder.js';
import { curveCsv } from './writers.js';

test('curve.csv is read with its timing columns, and a run from before train_seconds still reads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlx-curve-'));
  try {
    writeFileSync(join(dir, 'curve.csv'), 'epoch,lr,train_loss,penalty,train_acc,val_loss,val_acc,train_seconds,seconds\n1,0.1,0.5,0,0.8,0.4,0.9,1.5,2\n');
    assert.deepEqual(await readCurve(dir), [{ epoch: 1, lr: 0.1, train_loss: 0.5, penalty: 0, train_acc: 0.8, val_loss: 0.4, val_acc: 0.9, train_seconds: 1.5, seconds: 2 }]);
    writeFileSync(join(dir, 'curve.csv'), 'epoch,lr,train_loss,penalty,train_acc,val_loss,val_acc,seconds\n1,0.1,0.5,0,0.8,0.4,0.9,2\n');
    assert.deepEqual(await readCurve(dir), [{ epoch: 1, lr: 0.1, train_loss: 0.5, penalty: 0, train_acc: 0.8, val_loss: 0.4, val_acc: 0.9, train_seconds: 2, seconds: 2 }]);
    // opt-in columns after the standard ones are kept, by name, in each record's extra
    writeFileSync(join(dir, 'curve.csv'), 'epoch,lr,train_loss,penalty,train_acc,val_loss,val_acc,train_seconds,seconds,grad_norm_0,weight_norm_0\n1,0.1,0.5,0,0.8,0.4,0.9,1.5,2,0.001,3.5\n');
    const [row] = await readCurve(dir);
    assert.deepEqual(row.extra, { grad_norm_0: 0.001, weight_norm_0: 3.5 });
    assert.deepEqual(curveRow(row), { epoch: 1, lr: 0.1, train_loss: 0.5, penalty: 0, train_acc: 0.8, val_loss: 0.4, val_acc: 0.9, train_seconds: 1.5, seconds: 2, grad_norm_0: 0.001, weight_norm_0: 3.5 });
    assert.equal(curveCsv([row]), 'epoch,lr,train_loss,penalty,train_acc,val_loss,val_acc,train_seconds,seconds,grad_norm_0,weight_norm_0\n1,0.1,0.5,0,0.8,0.4,0.9,1.5,2,0.001,3.5\n');
    writeFileSync(join(dir, 'curve.csv'), 'epoch,lr,loss\n1,0.1,0.5\n');
    await assert.rejects(readCurve(dir), { message: `${join(dir, 'curve.csv')}:1: the header lacks train_loss, val_loss, seconds; found epoch,lr,loss` });
    // regression columns, a NaN R², and a column another component adds (kept in extra): read by the header
    writeFileSync(join(dir, 'curve.csv'), 'epoch,lr,train_loss,penalty,val_loss,val_mae,val_rmse,val_r2,train_seconds,seconds,norm_0\n1,0.1,0.5,0,0.4,3,4,NaN,1.5,2,7\n');
    assert.deepEqual(await readCurve(dir), [{ epoch: 1, lr: 0.1, train_loss: 0.5, penalty: 0, val_loss: 0.4, val_mae: 3, val_rmse: 4, val_r2: NaN, train_seconds: 1.5, seconds: 2, extra: { norm_0: 7 } }]);
    writeFileSync(join(dir, 'curve.csv'), 'epoch,lr,train_loss,val_loss,seconds\n1,0.1,x,0.4,2\n');
    await assert.rejects(readCurve(dir), { message: `${join(dir, 'curve.csv')}:2: malformed row '1,0.1,x,0.4,2'` });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("curve.csv written after each epoch keeps each row's line, and writes every row again when a column appears", () => {
  const rec = (epoch: number, extra?: Record<string, number>) => ({ epoch, lr: 0.1 / epoch, train_loss: 1 / epoch, penalty: 0, train_acc: 0.5, val_loss: 1.5 / epoch, val_acc: 0.25 + epoch / 100, train_seconds: 0.125, seconds: 0.25, ...(extra && { extra }) });
  const line = (r: ReturnType<typeof rec>) => [r.epoch, r.lr, r.train_loss, 0, 0.5, r.val_loss, r.val_acc, 0.125, 0.25, ...(r.extra ? Object.values(r.extra) : [])].join(',') + '\n';
  const header = 'epoch,lr,train_loss,penalty,train_acc,val_loss,val_acc,train_seconds,seconds';
  const curve = [rec(1), rec(2), rec(3)];
  for (let n = 1; n <= 3; n++) assert.equal(curveCsv(curve.slice(0, n)), `${header}\n` + curve.slice(0, n).map(line).join(''));
  // a record with an extra column: the header grows and the earlier rows get an empty cell
  const wider = [...curve, rec(4, { norm_0: 7 })];
  assert.equal(curveCsv(wider), `${header},norm_0\n` + curve.map((r) => line(r).replace('\n', ',\n')).join('') + line(wider[3]));
  assert.equal(curveCsv(curve), `${header}\n` + curve.map(line).join(''), 'back under the narrower header');
});
