// Run by scripts/build-bundle.mjs in a child process: loads dlx from the new bundle (no code cache
// yet), runs what a command and a trial process commonly run (the help, validating and training a
// tiny spec, the modules of a sweep and its trials required), then saves V8's code cache of the script, which
// then holds the bytecode of each function that ran.  node scripts/bundle-warmup.mjs CACHE_FILE
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCodeCache, bundledModule, loadMain, loadedFrom } from '../dist/src/cli/load.js';

const { main } = await loadMain();
if (loadedFrom()?.source !== 'bundle') throw new Error('the warm-up did not load the bundle');
const dir = mkdtempSync(join(tmpdir(), 'dlx-bundle-'));
try {
  const spec = join(dir, 'tiny.yaml');
  writeFileSync(spec, `name: tiny
seed: 1
data: {dataset: iris, split: {val: 0.2, stratify: true}, normalize: [zscore]}
model: {layers: [{type: dense, units: 8}, relu, {type: dense, units: 3}], output: softmax}
loss: cross-entropy
optimizer: {type: adam, lr: 0.01}
train: {epochs: 2, batchSize: 16}
`);
  for (const argv of [['--help'], ['train', '--help'], ['validate', spec], ['train', spec, '--runs-dir', join(dir, 'runs'), '--no-plots']]) {
    const code = await main(argv);
    if (code !== 0) throw new Error(`the warm-up's dlx ${argv.join(' ')} exited with ${code}`);
  }
  // what a sweep and its trial processes load besides
  for (const path of ['dist/src/cli/commands/sweep.js', 'dist/src/run/trial.js', 'dist/src/run/evaluate-run.js']) bundledModule(path);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(process.argv[2], bundleCodeCache());
