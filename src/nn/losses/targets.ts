// Class labels as one-hot target rows, for the costs that compare every output with a target.
import { Tensor } from '../../engine/tensor.js';

export function oneHot(labels: Int32Array, classes: number): Tensor {
  const t = new Tensor([labels.length, classes]);
  for (let r = 0; r < labels.length; r++) t.data[r * classes + labels[r]] = 1;
  return t;
}
