// `dlx plot` and `dlx report` take run folders and sweep folders alike: a sweep folder is the
// one with a sweep.json.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '../common/errors.js';
import { files } from './layout.js';
import { writeRunPlots, type WrittenPlots } from './plots.js';
import { sweepFiles } from './sweep-folder.js';
import { writeSweepPlots } from './sweep-plots.js';

export type FolderKind = 'run' | 'sweep';

const exists = (path: string) => stat(path).then(() => true, () => false);

export async function folderKind(dir: string): Promise<FolderKind> {
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) throw new DataError(`${dir}: no such run or sweep folder`);
  if (await exists(join(dir, sweepFiles.sweep))) return 'sweep';
  if (await exists(join(dir, files.curve))) return 'run';
  throw new DataError(`${dir}: neither a run folder (no ${files.curve}) nor a sweep folder (no ${sweepFiles.sweep})`);
}

export async function writePlots(dir: string): Promise<WrittenPlots> {
  return (await folderKind(dir)) === 'sweep' ? writeSweepPlots(dir) : writeRunPlots(dir);
}
