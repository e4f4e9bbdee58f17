#!/usr/bin/env node
// npm run gallery [-- [--out DIR] [--docs DIR]]: trains every variant of configs/lecture/gallery.yaml
// with the built dlx and runs its sweeps, overlays each item's curves (dlx compare --plot) and
// writes one report of every run and sweep (dlx report). Prints what was measured and writes it
// to summary.json; --docs copies the key pictures (README "The lecture gallery") into DIR.
// Deterministic: the specs fix seeds.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { pedAnova } from '../dist/src/plots/importance.js';
import { readSweep } from '../dist/src/run/sweep-read.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? resolve(args[args.indexOf(name) + 1]) : fallback);
const out = option('--out', join(root, 'gallery-out'));
const docs = option('--docs', undefined);
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
const lastJson = (stdout) => JSON.parse(stdout.trim().split('\n').pop());
const pct = (x) => (x === undefined || x === null ? '?' : (100 * x).toFixed(2));

/** With train.log.norms: the last layer's gradient norm over the first layer's, at the last epoch. */
function gradientRatio(runDir) {
  const [header, ...lines] = readFileSync(join(runDir, 'curve.csv'), 'utf8').trim().split('\n');
  const columns = header.split(',');
  const grads = columns.flatMap((c, i) => (c.startsWith('grad_norm_') ? [i] : []));
  if (grads.length < 2) return {};
  const last = lines.at(-1).split(',').map(Number);
  return { grad_norm_last_over_first: last[grads.at(-1)] / last[grads[0]] };
}

/** summary.csv's trials: each searched value by param id, and the objective. */
function sweepTrials(sweepDir) {
  const [header, ...lines] = readFileSync(join(sweepDir, 'summary.csv'), 'utf8').trim().split('\n');
  const columns = header.split(',');
  const params = columns.slice(columns.indexOf('status') + 1, columns.indexOf('value'));
  return { params, trials: lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [columns[i], v]))) };
}

/** Each searched parameter's share of PED-ANOVA importance (the numbers of importance.svg). */
async function importance(sweepDir) {
  const sweep = await readSweep(sweepDir);
  return Object.fromEntries(pedAnova(sweep.params, sweep.trials, sweep.mode).map((i) => [i.id, Number(i.share.toFixed(3))]));
}

async function runSweep(item, variant, file) {
  const t = Date.now();
  const done = lastJson(dlx(['sweep', join(lecture, file), '--runs-dir', join(out, 'sweeps'), '--json']));
  const { params, trials } = sweepTrials(done.sweepDir);
  const distinct = Object.fromEntries(params.map((p) => [p, new Set(trials.map((tr) => tr[p])).size]));
  const best = done.best && trials[done.best.trial];
  const row = { item: item.name, variant, sweepDir: done.sweepDir, trials: done.trials, best_value: done.best?.value, best_params: best && Object.fromEntries(params.map((p) => [p, Number(best[p])])), distinct_values: distinct, importance: await importance(done.sweepDir), seconds: (Date.now() - t) / 1000 };
  const ens = done.summary.ensemble;
  if (ens) {
    const accs = ens.val.members.map((m) => m.accuracy);
    Object.assign(row, {
      members_val_acc: accs, members_val_loss: ens.val.members.map((m) => m.loss),
      mean_val_acc: ens.val.mean.accuracy, best_member_val_acc: Math.max(...accs), ensemble_val_acc: ens.val.ensemble.accuracy,
      mean_val_loss: ens.val.mean.loss, ensemble_val_loss: ens.val.ensemble.loss,
      ...(ens.test && { mean_test_acc: ens.test.mean.accuracy, ensemble_test_acc: ens.test.ensemble.accuracy }),
    });
    process.stdout.write(`${item.name} ${variant}: members' val acc ${accs.map(pct).join(', ')} %, mean ${pct(row.mean_val_acc)} %, ensemble ${pct(row.ensemble_val_acc)} %; test mean ${pct(row.mean_test_acc)} %, ensemble ${pct(row.ensemble_test_acc)} % (${row.seconds.toFixed(1)} s)\n`);
  } else {
    process.stdout.write(`${item.name} ${variant}: best ${done.summary.metric} ${done.best?.value} at ${JSON.stringify(row.best_params)}; distinct values ${JSON.stringify(distinct)}; importance ${JSON.stringify(row.importance)} (${row.seconds.toFixed(1)} s)\n`);
  }
  return row;
}

const started = Date.now();
const rows = [];
const runs = [];
const sweeps = [];
/** Where each variant's run or sweep went, by "item/variant". */
const where = {};
for (const item of items) {
  if (item.sweeps) {
    for (const [variant, file] of Object.entries(item.sweeps)) {
      const row = await runSweep(item, variant, file);
      rows.push(row);
      sweeps.push(row.sweepDir);
      where[`${item.name}/${variant}`] = row.sweepDir;
    }
    continue;
  }
  const name = item.spec.replace(/\.yaml$/, '');
  const itemRuns = [];
  for (const [variant, sets] of Object.entries(item.variants)) {
    const t = Date.now();
    const done = lastJson(dlx(['train', join(lecture, item.spec), '--runs-dir', join(out, 'runs'), '--name', `${name}--${variant}`, '--no-plots', '--json', ...sets.flatMap((s) => ['--set', s])]));
    itemRuns.push(done.runDir);
    where[`${name}/${variant}`] = done.runDir;
    rows.push({ item: name, variant, epochs: done.epochs, best_val_acc: done.best?.val_acc, final_val_acc: done.final?.val_acc, final_train_acc: done.final?.train_acc, ...gradientRatio(done.runDir), seconds: (Date.now() - t) / 1000 });
    process.stdout.write(`${name} ${variant}: best val_acc ${pct(done.best?.val_acc)} %, final train_acc ${pct(done.final?.train_acc)} % (${rows.at(-1).seconds.toFixed(1)} s)\n`);
  }
  dlx(['compare', ...itemRuns, '--plot', join(out, `${name}.svg`)]);
  runs.push(...itemRuns);
}
dlx(['report', ...runs, ...sweeps, '-o', join(out, 'gallery.html')]);
writeFileSync(join(out, 'summary.json'), JSON.stringify(rows, null, 2) + '\n');

if (docs) {
  // the pictures the README shows: overlays, and single plots of the runs and sweeps that make a claim visible
  mkdirSync(docs, { recursive: true });
  for (const name of ['optimizers', 'init', 'dropout', 'batchnorm', 'sparsity']) copyFileSync(join(out, `${name}.svg`), join(docs, `${name}.svg`));
  const pictures = [
    ['deep-sigmoid-relu/sigmoid', 'norms', 'norms-sigmoid'], ['deep-sigmoid-relu/relu', 'norms', 'norms-relu'],
    ['l1-l2/l1', 'weights', 'weights-l1'], ['l1-l2/l2', 'weights', 'weights-l2'],
    ['grid-vs-random/grid', 'params', 'search-grid'], ['grid-vs-random/random', 'params', 'search-random'],
  ];
  for (const [key, plot, file] of pictures) {
    if (!sweeps.includes(where[key])) dlx(['plot', where[key]]);
    copyFileSync(join(where[key], 'plots', `${plot}.svg`), join(docs, `${file}.svg`));
  }
}
process.stdout.write(`gallery: ${runs.length} runs and ${sweeps.length} sweeps, ${join(out, 'gallery.html')}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
