// Datasets that only a download brings: CIFAR-10 and CIFAR-100 (binary versions, from the
// authors' site) and UCI Adult. Archives are SHA-256 checked, unpacked into the cache with
// temporary names, and the archive is then removed.
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as z from 'zod';
import { DataError } from '../../common/errors.js';
import { strictObject } from '../../common/schema.js';
import { defineDataset } from '../dataset.js';
import { cachePath, download, fetchInto, type RemoteFile } from '../download.js';
import { readCifar } from '../readers/cifar.js';
import { tarEntries } from '../readers/tar.js';
import { readTable } from '../readers/table-reader.js';
import { tabularData } from './tabular.js';

interface CifarKind {
  type: string;
  archive: RemoteFile;
  train: string[];
  test: string[];
  classNames: string;
  labelBytes: 1 | 2;
  summary: string;
}

const cifar10: CifarKind = {
  type: 'cifar10',
  archive: { name: 'cifar-10-binary.tar.gz', url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd' },
  train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  test: ['test_batch.bin'],
  classNames: 'batches.meta.txt',
  labelBytes: 1,
  summary: 'CIFAR-10: 50,000 + 10,000 (official test) colour images, 3×32×32, 10 classes (downloaded, 163 MB)',
};

const cifar100: CifarKind = {
  type: 'cifar100',
  archive: { name: 'cifar-100-binary.tar.gz', url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz', sha256: '58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec' },
  train: ['train.bin'],
  test: ['test.bin'],
  classNames: 'fine_label_names.txt',
  labelBytes: 2,
  summary: 'CIFAR-100: 50,000 + 10,000 (official test) colour images, 3×32×32, 100 fine classes (downloaded, 161 MB)',
};

const needed = (k: CifarKind) => [...k.train, ...k.test, k.classNames];
const present = (k: CifarKind) => needed(k).every((f) => existsSync(join(cachePath(k.type), f)));

/** Downloads and unpacks the archive unless the unpacked files are already in the cache. */
export async function ensureCifar(k: CifarKind): Promise<string> {
  const dir = cachePath(k.type);
  if (present(k)) return dir;
  const archive = await download(k.archive, dir);
  const tar = gunzipSync(await readFile(archive));
  const wanted = new Set(needed(k));
  for (const entry of tarEntries(tar, archive)) {
    const name = basename(entry.name);
    if (!wanted.has(name)) continue;
    const temp = join(dir, `.${name}.${process.pid}.part`);
    await writeFile(temp, entry.data);
    await rename(temp, join(dir, name));
    wanted.delete(name);
  }
  if (wanted.size > 0) throw new DataError(`${archive}: the archive lacks ${[...wanted].join(', ')}`);
  await rm(archive, { force: true });
  return dir;
}

function cifarDataset(k: CifarKind) {
  return defineDataset({
    type: k.type,
    summary: k.summary,
    schema: strictObject({ type: z.literal(k.type) }),
    origin: () => ({ source: `download from ${new URL(k.archive.url).host} into ${cachePath(k.type)}`, present: present(k) }),
    shape: () => ({ sampleShape: [3, 32, 32], classes: k.type === 'cifar100' ? 100 : 10 }),
    fetch: () => ensureCifar(k),
    async load() {
      const dir = await ensureCifar(k);
      const classes = (await readFile(join(dir, k.classNames), 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean);
      const train = await readCifar(k.train.map((f) => join(dir, f)), k.labelBytes);
      const test = await readCifar(k.test.map((f) => join(dir, f)), k.labelBytes);
      return { sampleShape: [3, 32, 32], classes, train, test, source: dir, divideBy: 255, files: [...k.train, ...k.test, k.classNames].map((f) => join(dir, f)) };
    },
  });
}

export const cifar10Dataset = cifarDataset(cifar10);
export const cifar100Dataset = cifarDataset(cifar100);
export const cifarKinds = { cifar10, cifar100 };

const adultFiles: RemoteFile[] = [
  { name: 'adult.data', url: 'https://archive.ics.uci.edu/ml/machine-learning-databases/adult/adult.data', sha256: '5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d' },
  { name: 'adult.test', url: 'https://archive.ics.uci.edu/ml/machine-learning-databases/adult/adult.test', sha256: 'a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05' },
];
const adultColumns = ['age', 'workclass', 'fnlwgt', 'education', 'education-num', 'marital-status', 'occupation',
  'relationship', 'race', 'sex', 'capital-gain', 'capital-loss', 'hours-per-week', 'native-country', 'income'];

export const adult = defineDataset({
  type: 'adult',
  summary: 'UCI Adult (census income): 32,561 + 16,281 (official test) people, 14 mixed features with missing values, income ≤/> 50K (downloaded, 5.7 MB)',
  schema: strictObject({ type: z.literal('adult') }),
  origin: () => ({ source: `download from archive.ics.uci.edu into ${cachePath('adult')}`, present: adultFiles.every((f) => existsSync(join(cachePath('adult'), f.name))) }),
  fetch: () => fetchInto('adult', adultFiles).then(() => cachePath('adult')),
  async load() {
    const [train, test] = await fetchInto('adult', adultFiles);
    const options = { header: false, columns: adultColumns, target: 'income' };
    const a = await readTable(train, options);
    // adult.test begins with a "|1x3 Cross validator" line and writes its labels with a final '.'
    const b = await readTable(test, { ...options, skip: 1 });
    return tabularData(a, { ...b, labels: b.labels.map((l) => l.replace(/\.$/, '')) }, train, ['<=50K', '>50K']);
  },
});
