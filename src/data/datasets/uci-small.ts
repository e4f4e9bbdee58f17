// Small UCI datasets shipped in datasets/ (credits in datasets/CREDITS.md), in the layout of
// scikit-learn's copies. None has an official test split.
import { existsSync } from 'node:fs';
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { defineDataset } from '../dataset.js';
import { shippedDatasetPath } from '../package-root.js';
import { readCountedCsv } from '../readers/counted-csv.js';

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
