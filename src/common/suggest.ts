// "Did you mean …?" for unknown keys and types: a known synonym from Keras or PyTorch first
// (learning_rate → lr), else the closest candidate by edit distance.

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/**
 * Names other frameworks use for what dlx calls differently, keyed by the name lower-cased
 * without '_', '-' or spaces. A synonym is offered only where its dlx name is a candidate.
 */
const synonyms: Readonly<Record<string, string>> = {
  learningrate: 'lr',
  batchsize: 'batchSize',
  numepochs: 'epochs',
  nepochs: 'epochs',
  maxepochs: 'epochs',
  kernelsize: 'kernel',
  poolsize: 'size',
  strides: 'stride',
  outfeatures: 'units',
  outchannels: 'filters',
  restorebestweights: 'restoreBest',
  mindelta: 'minDelta',
  cosine: 'cosine-restarts',
  cosineannealing: 'cosine-restarts',
  cosineannealingwarmrestarts: 'cosine-restarts',
  cosinedecayrestarts: 'cosine-restarts',
  categoricalcrossentropy: 'cross-entropy',
  sparsecategoricalcrossentropy: 'cross-entropy',
  crossentropyloss: 'cross-entropy',
  binarycrossentropy: 'binary-cross-entropy',
  bcewithlogitsloss: 'binary-cross-entropy',
  meansquarederror: 'mse',
  mseloss: 'mse',
  meanabsoluteerror: 'mae',
  l1loss: 'mae',
  huberloss: 'huber',
  smoothl1loss: 'huber',
  standardscaler: 'zscore',
  minmaxscaler: 'minmax',
  batchnormalization: 'batchnorm',
  batchnorm1d: 'batchnorm',
  batchnorm2d: 'batchnorm',
  linearlayer: 'dense',
  maxpooling2d: 'maxpool2d',
  averagepooling2d: 'avgpool2d',
  leakyrelu: 'leaky-relu',
};

const normalized = (word: string) => word.toLowerCase().replace(/[-_\s]/g, '');

/** The dlx name of a synonym (also misspelled a little: lerningRate), when it is a candidate. */
export function synonym(word: string, candidates: readonly string[]): string | undefined {
  const w = normalized(word);
  for (const [alias, target] of Object.entries(synonyms)) {
    // long aliases tolerate a typo or two; short ones must match exactly
    const allowed = alias.length >= 10 ? 2 : alias.length >= 7 ? 1 : 0;
    if (candidates.includes(target) && editDistance(w, alias.toLowerCase()) <= allowed) return target;
  }
  return undefined;
}

/** The nearest candidate, when it is close enough to be a plausible typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const known = synonym(word, candidates);
  if (known !== undefined) return known;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.ceil(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const near = nearest(word, candidates);
  return near === undefined ? '' : ` (did you mean '${near}'?)`;
}
