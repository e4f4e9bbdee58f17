// dlx report in a real browser: no console error, no request beyond the file itself, every
// plot visible with a size, tables sort when a header is clicked, the CSP blocks requests.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { noChromium, withBrowser } from './browser.js';
import { fakeSweep } from './fake-sweep.js';
import { dlx, root, tempDir } from './helpers.js';

const quickstart = join(root, 'configs/quickstart.yaml');
const artifacts = join(root, 'test-artifacts');

function trainRuns(runs: string): string[] {
  for (const lr of ['0.1', '0.02', '0.3']) {
    const r = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'train.epochs=4', '--set', `optimizer.lr=${lr}`, '--no-plots', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
  }
  return readdirSync(join(runs, 'quickstart')).sort().map((f) => join(runs, 'quickstart', f));
}

test('the report of three runs loads offline with no error or request, shows every plot, and sorts', { skip: noChromium }, async () => {
  const dir = tempDir();
  const runDirs = trainRuns(join(dir, 'runs'));
  const out = join(dir, 'report.html');
  const r = dlx(['report', ...runDirs, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `report ${out}`);
  const url = pathToFileURL(out).href;
  await withBrowser(async (context) => {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    const finished: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (q) => requests.push(q.url()));
    page.on('requestfinished', (q) => finished.push(q.url()));
    await page.goto(url, { waitUntil: 'load' });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [url], 'the page asks for nothing but itself');

    const figures = page.locator('figure svg');
    assert.equal(await figures.count(), 3 * 4, 'curves, lr, confusion and weights of each run');
    for (const svg of await figures.all()) {
      assert.ok(await svg.isVisible());
      const box = await svg.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `plot size ${JSON.stringify(box)}`);
    }

    // the runs table sorts by a numeric column, then the other way
    const table = page.locator('table.sortable').first();
    const column = async (i: number) => (await table.locator(`tbody tr td:nth-child(${i})`).allTextContents()).map(Number);
    const header = table.locator('th', { hasText: 'final val_loss' });
    const index = (await table.locator('th').allTextContents()).indexOf('final val_loss') + 1;
    await header.click();
    const up = await column(index);
    assert.deepEqual(up, [...up].sort((a, b) => a - b));
    await header.click();
    const down = await column(index);
    assert.deepEqual(down, [...up].reverse());
    assert.notDeepEqual(up, down, 'the three runs differ');

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-runs.png'), fullPage: true });

    // the Content-Security-Policy stops a request someone might add to the page
    const blocked = await page.evaluate(() => new Promise<string>((resolve) => {
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
      const img = document.createElement('img');
      img.src = 'http://127.0.0.1:9/x.png';
      document.body.append(img);
    }));
    assert.equal(blocked, 'img-src');
    assert.deepEqual(finished, [url], 'the blocked image never loaded');
  });
});

test('the report of a sweep has its plots, the best trial\'s run, and a trial table that sorts by value', { skip: noChromium }, async () => {
  const dir = tempDir();
  const sweep = fakeSweep(dir, { trials: 30, folds: 3 });
  const best = JSON.parse(readFileSync(join(sweep, 'best.json'), 'utf8'));
  const [run] = trainRuns(join(dir, 'runs-of-trials')).slice(0, 1);
  renameSync(run, join(sweep, best.runDir));
  const out = join(dir, 'sweep.html');
  const r = dlx(['report', sweep, '-o', out]);
  assert.equal(r.code, 0, r.stderr);
  const url = pathToFileURL(out).href;
  await withBrowser(async (context) => {
    const page = await context.newPage();
    const errors: string[] = [];
    const finished: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('requestfinished', (q) => finished.push(q.url()));
    await page.goto(url, { waitUntil: 'load' });
    assert.deepEqual(errors, []);
    assert.deepEqual(finished, [url]);
    const plots = await page.locator('figure').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-plot')));
    assert.deepEqual(plots, ['objective', 'parallel', 'params', 'importance', 'folds', 'curves', 'lr', 'confusion', 'weights']);
    for (const svg of await page.locator('figure svg').all()) {
      const box = await svg.boundingBox();
      assert.ok(box && box.width > 100 && box.height > 50, `plot size ${JSON.stringify(box)}`);
    }
    const table = page.locator('section.sweep table.sortable');
    const headers = await table.locator('th').allTextContents();
    assert.deepEqual(headers.slice(0, 2), ['trial', 'status']);
    const index = headers.indexOf('value') + 1;
    const values = async () => table.locator(`tbody tr td:nth-child(${index})`).allTextContents();
    assert.equal((await values()).length, 30);
    await table.locator('th', { hasText: /^value$/ }).click();
    const up = await values();
    const numbers = up.filter((v) => v !== '').map(Number);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
    assert.equal(up[up.length - 1], '', 'the failed trial (no value) sorts last');
    await table.locator('th', { hasText: /^value$/ }).click();
    const down = (await values()).filter((v) => v !== '').map(Number);
    assert.deepEqual(down, [...numbers].reverse());
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'report-sweep.png'), fullPage: true });
  });
});
