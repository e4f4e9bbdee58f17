// Small UCI datasets shipped in datasets/ (credits in datasets/CREDITS.md), in the layout of
// scikit-learn's copies. None has an official test split.
import { existsSync } from 'node:fs';
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { defineDataset } from '../dataset.js';
import { shippedDatasetPath } from '../package-root.js';
import { readCountedCsv } from '../readers/counted-csv.js';
import { readTable } from '../readers/table-reader.js';
import { DataError } from '../../common/errors.js';

function shipped(type: string, file: string, summary: string) {
  return defineDataset({
    type,
    summary,
    schema: strictObject({ type: z.literal(type) }),
    origin: () => ({ source: `datasets/${file} (shipped)`, present: existsSync(shippedDatasetPath(file)) }),
    load: () => readCountedCsv(shippedDatasetPath(file)),
  });
}

export const iris = shipped('iris', 'iris.csv', 'Fisher\'s iris: 150 flowers, 4 measurements, 3 species');
export const wine = shipped('wine', 'wine_data.csv', 'Wine recognition: 178 wines, 13 chemical measurements, 3 cultivars');
export const breastCancerDiagnostic = shipped(
  'breast-cancer-diagnostic',
  'breast_cancer.csv',
  'Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features, malignant or benign',
);

export const digits = defineDataset({
  type: 'digits',
  summary: 'UCI optical digits: 1,797 images of 8×8 pixels (counts 0–16), 10 classes',
  schema: strictObject({ type: z.literal('digits') }),
  origin: () => ({ source: 'datasets/digits.csv.gz (shipped)', present: existsSync(shippedDatasetPath('digits.csv.gz')) }),
  async load() {
    const path = shippedDatasetPath('digits.csv.gz');
    const { table, labels } = await readTable(path, { header: false, target: 64 });
    const rows = labels.length;
    const x = new Float32Array(rows * 64);
    table.columns.forEach((c, j) => {
      if (c.kind !== 'numeric' || c.values.some(Number.isNaN)) throw new DataError(`${path}: column ${j + 1} should hold pixel counts`);
      for (let r = 0; r < rows; r++) x[r * 64 + j] = c.values[r];
    });
    return { sampleShape: [1, 8, 8], classes: [...'0123456789'], train: { x, y: Int32Array.from(labels, Number) }, source: path, files: [path] };
  },
});
