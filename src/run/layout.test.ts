// curve.csv's columns follow its rows: classification, regression, or columns another
// component adds; readers go by the header.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnsOf } from './layout.js';

const base = { epoch: 1, lr: 0.1, train_loss: 1, penalty: 0, val_loss: 1, train_seconds: 0.1, seconds: 0.2 };

test('columns: accuracies for classes, errors for regression, extra columns after the known ones', () => {
  assert.deepEqual(columnsOf([{ ...base, train_acc: 0.5, val_acc: 0.5 }]), ['epoch', 'lr', 'train_loss', 'penalty', 'train_acc', 'val_loss', 'val_acc', 'train_seconds', 'seconds']);
  assert.deepEqual(columnsOf([{ ...base, val_mae: 1, val_rmse: 2, val_r2: 0.3 }]), ['epoch', 'lr', 'train_loss', 'penalty', 'val_loss', 'val_mae', 'val_rmse', 'val_r2', 'train_seconds', 'seconds']);
  assert.deepEqual(columnsOf([{ ...base, val_acc: 1, train_acc: 1, norm_0: 3, norm_2: 4 }]).slice(-2), ['norm_0', 'norm_2']);
});
