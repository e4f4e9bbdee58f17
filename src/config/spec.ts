// The spec schema, assembled from the component registries of each layer (DESIGN.md "A spec").
import * as z from 'zod';
import { count, strictObject } from '../common/schema.js';
import { dataSchema } from '../data/prepare.js';
import { layerSchema } from '../nn/layers/index.js';
import { losses, lossSchema } from '../nn/losses/index.js';
import { regularizationSchema } from '../nn/regularizers/penalty.js';
import { optimizerSchema } from '../optim/optimizers/index.js';
import { scheduleSchema } from '../optim/schedules/index.js';

/** A run name becomes a folder under the runs directory: never a path. */
export const runName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, {
    message: "expected a plain name of letters, digits, '.', '_' and '-' that does not start with '.' (no '/', '\\' or '..')",
  });

/** train.earlyStopping (Prechelt 1998): the loop's EarlyStoppingConfig, with its defaults. */
const earlyStoppingSchema = strictObject({
  monitor: z.enum(['val_loss', 'val_acc', 'train_loss', 'train_acc', 'val_mae', 'val_rmse', 'val_r2']).default('val_loss'),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  minDelta: z.number().min(0).default(0),
  patience: count().default(5),
  restoreBest: z.boolean().default(false),
});

const outputs = [...new Set(losses.flatMap((l) => l.outputs))] as [string, ...string[]];

export const specSchema = strictObject({
  name: runName.optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
  data: dataSchema,
  model: strictObject({
    layers: z.array(layerSchema).min(1),
    /** Default: the loss's own output (softmax, sigmoid, linear). */
    output: z.enum(outputs).optional(),
  }),
  loss: lossSchema.prefault({ type: 'cross-entropy' }),
  regularization: regularizationSchema.prefault({}),
  optimizer: optimizerSchema.prefault({ type: 'sgd' }),
  schedule: scheduleSchema.prefault({ type: 'constant' }),
  train: strictObject({
    epochs: count().default(10),
    batchSize: count().default(32),
    shuffle: z.boolean().default(true),
    earlyStopping: earlyStoppingSchema.optional(),
    /** Evaluate the test split once, after training (REFERENCE.md §9: otherwise only dlx eval). */
    test: z.boolean().default(false),
    /** Opt-in curve.csv columns: per-layer gradient and weight norms (grad_norm_<i>, weight_norm_<i>). */
    log: strictObject({ norms: z.boolean().default(false) }).optional(),
  }).prefault({}),
});

/** A validated spec with every default filled in: what resolved.json holds. */
export type ResolvedSpec = z.output<typeof specSchema> & { name: string };
