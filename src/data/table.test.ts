import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from './readers/csv.js';
import { classNames, tableFromText } from './readers/table-reader.js';
import { encode, fitEncoding, missingSchema, rowsToKeep, selectRows } from './table.js';

test('CSV: quoted fields with commas, quotes and line breaks; CRLF; the line of each record', () => {
  const records = parseCsv('a,b,c\r\n"x, y","say ""hi""",3\n"two\nlines",,5\n\n7,8,9', 'f.csv');
  assert.deepEqual(records.map((r) => [r.line, r.fields]), [
    [1, ['a', 'b', 'c']],
    [2, ['x, y', 'say "hi"', '3']],
    [3, ['two\nlines', '', '5']],
    [6, ['7', '8', '9']],
  ]);
  assert.throws(() => parseCsv('a,b\n"open,1\n', 'f.csv'), { message: 'f.csv:2: a quoted field is not closed' });
});

const text = `age,colour,size,label
30,red,1.5,yes
?,blue,2.5,no
50,,NaN,yes
40,red,3.5,no
60,green,NA,yes
`;

test('a table: numeric and categorical columns, missing markers, the target as class names', () => {
  const { table, labels } = tableFromText(text, 't.csv', { header: true, target: 'label' });
  assert.deepEqual(labels, ['yes', 'no', 'yes', 'no', 'yes']);
  assert.deepEqual(classNames(labels), ['no', 'yes']);
  assert.deepEqual(table.columns.map((c) => [c.name, c.kind]), [['age', 'numeric'], ['colour', 'categorical'], ['size', 'numeric']]);
  assert.deepEqual([...table.columns[0].values], [30, NaN, 50, 40, 60]);
  assert.deepEqual(table.columns[1].values, ['red', 'blue', null, 'red', 'green']);
  assert.throws(() => tableFromText('a,b\n1,2\n3\n', 'u.csv', { header: true, target: 'b' }), { message: 'u.csv:3: expected 2 fields, found 1' });
  assert.throws(() => tableFromText('a,b\n1,2\n', 'u.csv', { header: true, target: 'c' }), { message: "u.csv: no target column 'c'; the columns are a, b" });
});

test('fills and categories come from the training rows only; unseen categories encode as zeros', () => {
  const { table } = tableFromText(text, 't.csv', { header: true, target: 'label' });
  const missing = missingSchema.parse({ numeric: 'median', categorical: 'mode' });
  const train = selectRows(table, [0, 1, 2, 3]); // green (row 4) is not in training
  const encoding = fitEncoding(train, missing);
  assert.deepEqual(encoding, [
    { name: 'age', kind: 'numeric', fill: 40 },
    { name: 'colour', kind: 'categorical', fill: 'red', categories: ['blue', 'red'] },
    { name: 'size', kind: 'numeric', fill: 2.5 },
  ]);
  const x = encode(table, encoding);
  assert.deepEqual([...x], [
    30, 0, 1, 1.5,
    40, 1, 0, 2.5,
    50, 0, 1, 2.5, // missing colour → the mode, missing size → the training median
    40, 0, 1, 3.5,
    60, 0, 0, 2.5, // green was never seen in training: all zeros
  ]);
  const mean = fitEncoding(train, missingSchema.parse({ numeric: 'mean', categorical: { constant: 'blue' } }));
  assert.equal(mean[0].fill, 40);
  assert.equal(mean[1].fill, 'blue');
  assert.equal(fitEncoding(train, missingSchema.parse({ numeric: { constant: -1 }, categorical: 'mode' }))[2].fill, -1);
});

test('drop removes rows before splitting; no strategy with missing values is an error naming the line', () => {
  const { table } = tableFromText(text, 't.csv', { header: true, target: 'label' });
  assert.deepEqual(rowsToKeep(table, missingSchema.parse({ numeric: 'drop', categorical: 'mode' })), [0, 3]);
  assert.deepEqual(rowsToKeep(table, missingSchema.parse({ numeric: 'mean', categorical: 'drop' })), [0, 1, 3, 4]);
  assert.throws(() => fitEncoding(table, undefined), {
    message: "t.csv:3: column 'age' has 1 missing values in the training split; set data.missing.numeric to drop, mean, median or {constant: …}",
  });
});
