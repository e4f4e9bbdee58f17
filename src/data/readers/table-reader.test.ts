import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode, fitEncoding, type Table } from '../table.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTable, rememberTables, tableFromText } from './table-reader.js';

const rowsOf = (header: string, cells: string[]) => `${header}\n${cells.map((c, i) => `${c},${i % 2}`).join('\n')}\n`;

test('a column of numbers with a few non-numbers is an error naming file, line, column and value', () => {
  const numbers = Array.from({ length: 20 }, (_, i) => String(i * 0.5));
  for (const odd of ['1..5', '1e400', '-Infinity', 'seven']) {
    const cells = [...numbers];
    cells[6] = odd;
    const why = odd === '1e400' || odd === '-Infinity' ? 'not a finite number' : 'not a number';
    assert.throws(() => tableFromText(rowsOf('x,y', cells), 'd.csv', { header: true, target: 'y' }), {
      message: `d.csv:8: column 'x' (field 1) holds numbers, but this row has '${odd}', ${why}; fix the file, write a missing value as empty, ?, NA or NaN, or list 'x' in data.dataset.categorical`,
    });
  }
  const two = [...numbers];
  two[3] = 'n/a';
  two[9] = 'oops';
  assert.throws(() => tableFromText(rowsOf('x,y', two), 'd.csv', { header: true, target: 'y' }), /d\.csv:5: column 'x' .* 'n\/a', not a number \(2 of its 20 values are not numbers\)/);
  // listed as categorical, the same column is categories
  const listed = tableFromText(rowsOf('x,y', two), 'd.csv', { header: true, target: 'y', categorical: ['x'] });
  assert.equal(listed.table.columns[0].kind, 'categorical');
  // missing markers are not non-numbers
  const gaps = [...numbers];
  gaps[2] = '?';
  gaps[4] = 'NA';
  assert.equal(tableFromText(rowsOf('x,y', gaps), 'd.csv', { header: true, target: 'y' }).table.columns[0].kind, 'numeric');
});

test('a mostly non-numeric column is categorical, numbers among its values included', () => {
  const cells = ['red', 'green', 'blue', '3', 'red', 'green', '7'];
  const { table } = tableFromText(rowsOf('colour,y', cells), 'd.csv', { header: true, target: 'y' });
  assert.deepEqual(table.columns[0], { name: 'colour', kind: 'categorical', values: cells });
  // exactly half numbers is still categorical: numeric needs more than half
  assert.equal(tableFromText(rowsOf('c,y', ['a', '1']), 'd.csv', { header: true, target: 'y' }).table.columns[0].kind, 'categorical');
});

test('duplicate column names are an error naming them and their positions', () => {
  assert.throws(() => tableFromText('a,b,a,c,b,y\n1,2,3,4,5,0\n', 'd.csv', { header: true, target: 'y' }), {
    message: "d.csv:1: duplicate column names: 'a' (columns 1, 3), 'b' (columns 2, 5); every column needs its own name",
  });
  assert.throws(() => tableFromText('1,2,0\n', 'd.csv', { header: false, columns: ['a', 'a', 'y'], target: 'y' }), {
    message: "d.csv (data.dataset.columns): duplicate column names: 'a' (columns 1, 2); every column needs its own name",
  });
});

test('a header of one field holding ; or a tab names the probable delimiter', () => {
  assert.throws(() => tableFromText('a;b;label\n1;2;x\n', 'd.csv', { header: true, target: 'label' }), {
    message: "d.csv:1: the header is one field, 'a;b;label'; the delimiter is probably ';', not ',': set data.dataset.delimiter: ';'",
  });
  assert.throws(() => tableFromText('a\tb\tlabel\n1\t2\tx\n', 'd.csv', { header: true, target: 'label' }), {
    message: 'd.csv:1: the header is one field, \'a\tb\tlabel\'; the delimiter is probably a tab, not \',\': set data.dataset.delimiter: "\\t"',
  });
  // with the right delimiter it reads
  assert.deepEqual(tableFromText('a;b;label\n1;2;x\n', 'd.csv', { header: true, target: 'label', delimiter: ';' }).labels, ['x']);
});

/** A table whose column list counts how often its elements are read. */
function counted(table: Table): { table: Table; reads: () => number } {
  let reads = 0;
  const columns = new Proxy(table.columns, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { table: { ...table, columns }, reads: () => reads };
}

test('encoding reads each column a bounded number of times: linear in the number of columns', () => {
  const columns = 3000;
  const header = Array.from({ length: columns }, (_, i) => `f${i}`).join(',');
  const row = (r: number) => Array.from({ length: columns }, (_, i) => (i === columns - 1 ? `c${r % 3}` : String(r * columns + i))).join(',');
  const text = `${header},y\n${Array.from({ length: 6 }, (_, r) => `${row(r)},${r % 2}`).join('\n')}\n`;
  const { table } = tableFromText(text, 'wide.csv', { header: true, target: 'y' });
  const encoding = fitEncoding(table, undefined);
  const c = counted(table);
  const x = encode(c.table, encoding);
  // a search per column (the old quadratic step) read about columns²/2 = 4.5 million elements
  assert.ok(c.reads() <= 3 * columns, `${c.reads()} reads of ${columns} columns`);
  const width = columns - 1 + 3;
  assert.equal(x.length, 6 * width);
  assert.equal(x[5 * width + columns - 2], 5 * columns + columns - 2);
  assert.deepEqual([...x.subarray(5 * width + columns - 1, 6 * width)], [0, 0, 1]); // c2 of c0, c1, c2
});

// 200,000 columns × 40 rows took 159 s before; the bench-free check is the read count above,
// this one shows a wide file loads whole (a tenth of that width, to keep the suite light)
test('20,000 columns × 40 rows load and encode', () => {
  const columns = 20_000;
  const header = Array.from({ length: columns }, (_, i) => `f${i}`).join(',');
  const lines = Array.from({ length: 40 }, (_, r) => `${Array.from({ length: columns }, (_, i) => (r + i) % 10).join(',')},${r % 2}`);
  const { table, labels } = tableFromText(`${header},y\n${lines.join('\n')}\n`, 'wide.csv', { header: true, target: 'y' });
  assert.equal(table.columns.length, columns);
  assert.equal(labels.length, 40);
  const x = encode(table, fitEncoding(table, undefined));
  assert.equal(x[39 * columns + columns - 1], (39 + columns - 1) % 10);
});

test('rememberTables: a file read again with the same bytes gives a fresh copy of the same table; changed bytes are read again', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dlx-tables-'));
  const file = join(dir, 'data.csv');
  await writeFile(file, 'a,b,y\n1,x,p\n2,y,q\n');
  rememberTables();
  const first = await readTable(file, { header: true, target: 'y' });
  const column = first.table.columns[0];
  assert.ok(column.kind === 'numeric');
  column.values[0] = 99;
  first.labels[0] = 'changed';
  const again = await readTable(file, { header: true, target: 'y' });
  assert.deepEqual(again, await readTable(file, { header: true, target: 'y' }));
  assert.deepEqual([...(again.table.columns[0].values as Float64Array)], [1, 2], 'a caller\'s change does not reach the next one');
  assert.deepEqual(again.labels, ['p', 'q']);
  assert.equal((await readTable(file, { header: true, target: 'b' })).labels.join(), 'x,y', 'other options: read again');
  await writeFile(file, 'a,b,y\n3,x,p\n4,y,q\n');
  assert.deepEqual([...((await readTable(file, { header: true, target: 'y' })).table.columns[0].values as Float64Array)], [3, 4]);
  await rm(dir, { recursive: true });
});
