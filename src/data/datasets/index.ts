// Every dataset a spec's `data.dataset` may name.
import { componentSchema } from '../../common/schema.js';
import type { DatasetComponent } from '../dataset.js';
import { adult, cifar100Dataset, cifar10Dataset } from './downloaded.js';
import { fashionMnist, idx, mnist } from './images.js';
import { morse } from './morse.js';
import { breastCancerOriginal, csv, diabetes } from './tabular.js';
import { breastCancerDiagnostic, digits, iris, wine } from './uci-small.js';

export const datasets: readonly DatasetComponent[] = [iris, wine, breastCancerDiagnostic, breastCancerOriginal, digits, fashionMnist, mnist, cifar10Dataset, cifar100Dataset, adult, morse, diabetes, csv, idx];
export const datasetSchema = componentSchema(datasets);

export function findDataset(type: string): DatasetComponent {
  const component = datasets.find((c) => c.type === type);
  if (!component) throw new Error(`no dataset '${type}'`);
  return component;
}
