// Early stopping (Prechelt 1998, "Early Stopping — But When?"): watch a curve column, remember
// the best epoch, stop after `patience` epochs without an improvement of more than `minDelta`.
// The best epoch is tracked also without early stopping, so best.safetensors always exists.

export const monitors = ['val_loss', 'val_acc', 'train_loss', 'train_acc', 'val_mae', 'val_rmse', 'val_r2'] as const;
export type Monitor = (typeof monitors)[number];

/** The spec's train.earlyStopping (its schema, with defaults, is in config/spec.ts). */
export interface EarlyStoppingConfig {
  monitor: Monitor;
  /** auto: min for losses and errors, max for accuracies and R². */
  mode: 'auto' | 'min' | 'max';
  minDelta: number;
  patience: number;
  /** When it stops (or training ends), put the best epoch's weights back. */
  restoreBest: boolean;
}

export interface BestEpoch {
  epoch: number;
  monitor: Monitor;
  value: number;
}

/** What a checkpoint keeps of it. */
export interface WatchState {
  best?: BestEpoch;
  /** Epochs since the last improvement. */
  wait: number;
}

export function modeOf(monitor: Monitor, mode: 'auto' | 'min' | 'max'): 'min' | 'max' {
  return mode !== 'auto' ? mode : monitor.endsWith('_acc') || monitor.endsWith('_r2') ? 'max' : 'min';
}

/**
 * Updates the state with one epoch's value of the monitored column, as Keras's EarlyStopping
 * does: an epoch is the new best when it improves on the best by more than minDelta; `stop`
 * says that `patience` epochs in a row did not.
 */
export function watch(
  state: WatchState,
  epoch: number,
  value: number,
  monitor: Monitor,
  mode: 'min' | 'max',
  minDelta: number,
  patience: number | undefined,
): { isBest: boolean; stop: boolean } {
  const best = state.best;
  const isBest = best === undefined || (mode === 'min' ? value < best.value - minDelta : value > best.value + minDelta);
  state.wait = isBest ? 0 : state.wait + 1;
  if (isBest) state.best = { epoch, monitor, value };
  return { isBest, stop: patience !== undefined && state.wait >= patience };
}
