// Every dataset a spec's `data.dataset` may name.
import type * as z from 'zod';
import { registry } from '../../common/registry.js';
import type { DatasetComponent } from '../dataset.js';
import { adult, cifar100Dataset, cifar10Dataset } from './downloaded.js';
import { fashionMnist, idx, mnist } from './images.js';
import { morse } from './morse.js';
import { breastCancerOriginal, csv, diabetes } from './tabular.js';
import { breastCancerDiagnostic, digits, iris, wine } from './uci-small.js';

export const datasetRegistry = registry<DatasetComponent>()('dataset', [iris, wine, breastCancerDiagnostic, breastCancerOriginal, digits, fashionMnist, mnist, cifar10Dataset, cifar100Dataset, adult, morse, diabetes, csv, idx]);
export const datasets = datasetRegistry.components;
export const datasetSchema = datasetRegistry.schema;
export type DatasetConfig = z.output<typeof datasetSchema>;
export const findDataset = datasetRegistry.find;
