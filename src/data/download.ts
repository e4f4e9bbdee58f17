// Downloading a dataset into the cache: to a temporary name in the cache folder, SHA-256
// checked, renamed only when complete and correct — a cut-off transfer or a wrong checksum
// leaves nothing behind. DLX_CACHE sets the cache folder; DLX_MIRROR a base URL to fetch the
// same file names from instead of their official addresses.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { DataError } from '../common/errors.js';

export interface RemoteFile {
  /** The file's name in the cache. */
  name: string;
  url: string;
  /** SHA-256 of the file as stored (after gunzip when `gunzip`). */
  sha256: string;
  gunzip?: boolean;
}

export function cacheRoot(): string {
  return process.env.DLX_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dlx');
}

export function cachePath(dataset: string): string {
  return join(cacheRoot(), dataset);
}

/** Aborts a transfer that receives nothing for this long. */
const STALL_MS = 60_000;

let counter = 0;

export async function download(file: RemoteFile, dir: string): Promise<string> {
  const target = join(dir, file.name);
  if (existsSync(target)) return target;
  await mkdir(dir, { recursive: true });
  const mirror = process.env.DLX_MIRROR;
  const url = mirror ? `${mirror.replace(/\/$/, '')}/${basename(new URL(file.url).pathname)}` : file.url;
  const temp = join(dir, `.${file.name}.${process.pid}.${counter++}.part`);
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(), STALL_MS);
  try {
    const response = await fetch(url, { signal: controller.signal });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    const expected = Number(response.headers.get('content-length') ?? NaN);
    let received = 0;
    const hash = createHash('sha256');
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(), STALL_MS);
        done(null, chunk);
      },
    });
    const digest = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const stages = [Readable.fromWeb(response.body as never), count, ...(file.gunzip ? [createGunzip()] : []), digest, createWriteStream(temp)];
    await pipeline(stages as unknown as [NodeJS.ReadableStream, NodeJS.WritableStream]);
    if (Number.isFinite(expected) && received !== expected) throw new Error(`the transfer stopped after ${received} of ${expected} bytes`);
    const sha = hash.digest('hex');
    if (sha !== file.sha256) throw new Error(`checksum mismatch: SHA-256 ${sha}, expected ${file.sha256}`);
    await rename(temp, target);
    return target;
  } catch (e) {
    await rm(temp, { force: true });
    const why = controller.signal.aborted ? `no data for ${STALL_MS / 1000} s` : (e as Error).cause ? `${(e as Error).message}: ${String(((e as Error).cause as Error).message ?? (e as Error).cause)}` : (e as Error).message;
    throw new DataError(`cannot download ${url} (${why}).\nWithout a network, get ${file.name} elsewhere (SHA-256 ${file.sha256}) and put it in ${dir}, or set DLX_MIRROR to a base URL that serves it.`);
  } finally {
    clearTimeout(timer);
  }
}

/** Downloads every missing file of a dataset into its cache folder. */
export async function fetchInto(dataset: string, files: readonly RemoteFile[]): Promise<string[]> {
  const dir = cachePath(dataset);
  const paths: string[] = [];
  for (const f of files) paths.push(await download(f, dir));
  return paths;
}
