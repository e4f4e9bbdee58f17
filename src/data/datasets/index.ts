// Every dataset a spec's `data.dataset` may name.
import { componentSchema } from '../../common/schema.js';
import type { DatasetComponent } from '../dataset.js';
import { breastCancerDiagnostic, iris, wine } from './uci-small.js';

export const datasets: readonly DatasetComponent[] = [iris, wine, breastCancerDiagnostic];
export const datasetSchema = componentSchema(datasets);

export function findDataset(type: string): DatasetComponent {
  const component = datasets.find((c) => c.type === type);
  if (!component) throw new Error(`no dataset '${type}'`);
  return component;
}
