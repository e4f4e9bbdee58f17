// Tabular datasets: the user's CSV files, the shipped Breast Cancer Wisconsin (Original) with its
// 16 missing values, and UCI Adult (downloaded). They stay as columns until prepare() fills
// missing values and one-hot encodes categories with training-split statistics.
import { existsSync } from 'node:fs';
import * as z from 'zod';
import { DataError } from '../../common/errors.js';
import { strictObject } from '../../common/schema.js';
import { defineDataset, fromSpec, type LoadedData } from '../dataset.js';
import { shippedDatasetPath } from '../package-root.js';
import { classNames, readTable, type ReadTable } from '../readers/table-reader.js';

/**
 * A numeric target column: its values by row id (train rows, then test rows), each `y` the row's
 * id. A value that is not a number is an error naming its line.
 */
export function regressionData(train: ReadTable, test: ReadTable | undefined, source: string, name: string): LoadedData {
  const parse = (t: ReadTable) => t.labels.map((l, r) => {
    const v = Number(l);
    if (l.trim() === '' || !Number.isFinite(v)) throw new DataError(`${t.table.file}:${t.table.lines[r]}: the target '${name}' is '${l}', not a number (a regression target must be numeric)`);
    return v;
  });
  const values = Float64Array.from([...parse(train), ...(test ? parse(test) : [])]);
  const ids = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + i);
  return {
    sampleShape: [],
    classes: [name],
    train: { x: new Float32Array(0), y: ids(0, train.labels.length) },
    test: test && { x: new Float32Array(0), y: ids(train.labels.length, test.labels.length) },
    tables: { train: train.table, test: test?.table },
    regression: { name, values },
    source,
  };
}

/** Class indices from names; the test set may not bring a class the training file lacks. */
export function tabularData(train: ReadTable, test: ReadTable | undefined, source: string, classes = classNames(train.labels)): LoadedData {
  const index = new Map(classes.map((c, i) => [c, i]));
  const labelsOf = (t: ReadTable) => Int32Array.from(t.labels, (l, r) => {
    const i = index.get(l);
    if (i === undefined) throw new DataError(`${t.table.file}:${t.table.lines[r]}: class '${l}' is not one of ${classes.join(', ')}`);
    return i;
  });
  return {
    sampleShape: [],
    classes,
    train: { x: new Float32Array(0), y: labelsOf(train) },
    test: test && { x: new Float32Array(0), y: labelsOf(test) },
    tables: { train: train.table, test: test?.table },
    source,
    files: [train.table.file, ...(test ? [test.table.file] : [])],
    labelOrigin: { file: train.table.file, where: (row) => `${train.table.file}:${train.table.lines[row]}` },
  };
}


export const csv = defineDataset({
  type: 'csv',
  summary: 'your CSV file: `path` (relative to the spec), `target` column, optional `testPath`',
  schema: strictObject({
    type: z.literal('csv'),
    path: z.string().min(1),
    target: z.union([z.string().min(1), z.number().int().min(0)]),
    header: z.boolean().default(true),
    columns: z.array(z.string()).optional(),
    ignore: z.array(z.string()).default([]),
    categorical: z.array(z.string()).default([]),
    delimiter: z.string().length(1).default(','),
    testPath: z.string().min(1).optional(),
    /** regression: the target is a number to predict, not a class. */
    task: z.enum(['classification', 'regression']).default('classification'),
  }),
  origin: () => ({ source: 'your file (data.dataset.path)', present: true }),
  async load(c, { specDir }) {
    const options = { header: c.header, columns: c.columns, target: c.target, ignore: c.ignore, categorical: c.categorical, delimiter: c.delimiter };
    const train = await readTable(fromSpec(c.path, specDir), options);
    const test = c.testPath ? await readTable(fromSpec(c.testPath, specDir), options) : undefined;
    const source = fromSpec(c.path, specDir);
    return c.task === 'regression' ? regressionData(train, test, source, String(c.target)) : tabularData(train, test, source);
  },
});

export const diabetes = defineDataset({
  type: 'diabetes',
  summary: 'Diabetes (Efron et al. 2004): 442 patients, 10 measurements, regression target: disease progression after one year (25–346)',
  schema: strictObject({ type: z.literal('diabetes') }),
  origin: () => ({ source: 'datasets/diabetes.csv (shipped)', present: existsSync(shippedDatasetPath('diabetes.csv')) }),
  async load() {
    const path = shippedDatasetPath('diabetes.csv');
    return regressionData(await readTable(path, { header: true, target: 'progression' }), undefined, path, 'progression');
  },
});

const wisconsinColumns = ['id', 'clump_thickness', 'cell_size_uniformity', 'cell_shape_uniformity', 'marginal_adhesion',
  'single_epithelial_cell_size', 'bare_nuclei', 'bland_chromatin', 'normal_nucleoli', 'mitoses', 'class'];

export const breastCancerOriginal = defineDataset({
  type: 'breast-cancer-original',
  summary: 'Breast Cancer Wisconsin (Original): 699 tumours, 9 features, 16 missing values (`?`), benign or malignant',
  schema: strictObject({ type: z.literal('breast-cancer-original') }),
  origin: () => ({ source: 'datasets/breast-cancer-wisconsin.data (shipped)', present: existsSync(shippedDatasetPath('breast-cancer-wisconsin.data')) }),
  async load() {
    const path = shippedDatasetPath('breast-cancer-wisconsin.data');
    const t = await readTable(path, { header: false, columns: wisconsinColumns, target: 'class', ignore: ['id'] });
    // class 2 is benign, 4 malignant
    return tabularData({ ...t, labels: t.labels.map((l) => (l === '2' ? 'benign' : l === '4' ? 'malignant' : l)) }, undefined, path, ['benign', 'malignant']);
  },
});
