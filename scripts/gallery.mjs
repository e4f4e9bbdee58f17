#!/usr/bin/env node
// npm run gallery [-- --out DIR]: trains every variant of configs/lecture/gallery.yaml with the
// built dlx, overlays each item's curves (dlx compare --plot) and writes one report of every
// run (dlx report). Prints a table of what was measured. Deterministic: the specs fix seeds.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const out = resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : join(root, 'gallery-out'));
const lecture = join(root, 'configs/lecture');
const items = parse(readFileSync(join(lecture, 'gallery.yaml'), 'utf8'));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

function dlx(argv) {
  const r = spawnSync(process.execPath, [join(root, 'bin/dlx.js'), ...argv], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`dlx ${argv.join(' ')} exited ${r.status}`);
  }
  return r.stdout;
}

/** With train.log.norms: the last layer's gradient norm over the first layer's, at the last epoch. */
function gradientRatio(runDir) {
  const [header, ...lines] = readFileSync(join(runDir, 'curve.csv'), 'utf8').trim().split('\n');
  const columns = header.split(',');
  const grads = columns.flatMap((c, i) => (c.startsWith('grad_norm_') ? [i] : []));
  if (grads.length < 2) return {};
  const last = lines.at(-1).split(',').map(Number);
  return { grad_norm_last_over_first: last[grads.at(-1)] / last[grads[0]] };
}

const started = Date.now();
const rows = [];
const runs = [];
for (const item of items) {
  const name = item.spec.replace(/\.yaml$/, '');
  const itemRuns = [];
  for (const [variant, sets] of Object.entries(item.variants)) {
    const t = Date.now();
    const stdout = dlx(['train', join(lecture, item.spec), '--runs-dir', join(out, 'runs'), '--name', `${name}--${variant}`, '--no-plots', '--json', ...sets.flatMap((s) => ['--set', s])]);
    const done = JSON.parse(stdout.trim().split('\n').pop());
    itemRuns.push(done.runDir);
    rows.push({ item: name, variant, epochs: done.epochs, best_val_acc: done.best?.val_acc, final_val_acc: done.final?.val_acc, final_train_acc: done.final?.train_acc, ...gradientRatio(done.runDir), seconds: (Date.now() - t) / 1000 });
    process.stdout.write(`${name} ${variant}: best val_acc ${(100 * done.best?.val_acc).toFixed(2)} %, final train_acc ${(100 * done.final?.train_acc).toFixed(2)} % (${rows.at(-1).seconds.toFixed(1)} s)\n`);
  }
  dlx(['compare', ...itemRuns, '--plot', join(out, `${name}.svg`)]);
  runs.push(...itemRuns);
}
dlx(['report', ...runs, '-o', join(out, 'gallery.html')]);
writeFileSync(join(out, 'summary.json'), JSON.stringify(rows, null, 2) + '\n');
process.stdout.write(`gallery: ${runs.length} runs, ${join(out, 'gallery.html')}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
