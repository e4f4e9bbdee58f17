// A trial's run folders as they travel back from a worker: one binary bundle (no base64, no
// JSON string of megabytes) that the worker stores in Redis under a key of its delivery, and
// the digests that name data files in Redis.
//
// Bundle: an 8-byte little-endian header length, the header (JSON: per fold, each file's offset
// and length in the data), then the data. Identical files (best.safetensors is often
// last.safetensors) are stored once.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import * as z from 'zod';

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(path)));
    else if (e.isFile()) out.push(path);
  }
  return out.sort();
}

/** A relative path inside a run folder: no '..', no absolute path, plain names. */
export const runFile = z.string().regex(/^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,3}$/, { message: 'expected a relative path inside a run folder' });

const headerSchema = z.strictObject({
  folds: z.array(z.strictObject({
    fold: z.number().int().min(1).max(100).optional(),
    files: z.record(runFile, z.tuple([z.number().int().min(0), z.number().int().min(0)])),
  })).min(1).max(100),
});

export interface FoldFiles {
  fold?: number;
  files: Record<string, Buffer>;
}

/**
 * The files of each fold's run folder as one bundle, leaving out `skip` (names the receiver
 * writes itself); `limit` bounds the bytes read (undefined bundle: over it, `bytes` says how far).
 */
export async function packRun(folds: { fold?: number; dir: string }[], skip: ReadonlySet<string>, limit: number): Promise<{ bundle?: Buffer; bytes: number }> {
  const read = await Promise.all(folds.map(async (f) => {
    const paths = (await walk(f.dir)).map((p) => ({ path: p, name: relative(f.dir, p).split(/[\\/]/).join('/') })).filter((p) => !skip.has(p.name));
    return { fold: f.fold, files: await Promise.all(paths.map(async (p) => ({ name: p.name, data: await readFile(p.path) }))) };
  }));
  const chunks: Buffer[] = [];
  let bytes = 0;
  const header: z.infer<typeof headerSchema> = { folds: [] };
  for (const f of read) {
    const files: Record<string, [number, number]> = {};
    for (const { name, data } of f.files) {
      // the same bytes stored once: compare with the chunks of the same length
      let at = -1;
      for (let i = 0, offset = 0; i < chunks.length; offset += chunks[i].length, i++) {
        if (chunks[i].length === data.length && chunks[i].equals(data)) {
          at = offset;
          break;
        }
      }
      if (at < 0) {
        at = bytes;
        chunks.push(data);
        bytes += data.length;
        if (bytes > limit) return { bytes };
      }
      files[name] = [at, data.length];
    }
    header.folds.push({ ...(f.fold !== undefined && { fold: f.fold }), files });
  }
  const head = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(head.length));
  return { bundle: Buffer.concat([length, head, ...chunks]), bytes };
}

/** A bundle's folds and files (views into the bundle); a message when it is malformed. */
export function unpackRun(bundle: Buffer): FoldFiles[] | string {
  if (bundle.length < 8) return 'shorter than its header';
  const headLength = Number(bundle.readBigUInt64LE(0));
  if (headLength > bundle.length - 8) return 'its header runs past its end';
  let raw: unknown;
  try {
    raw = JSON.parse(bundle.subarray(8, 8 + headLength).toString('utf8'));
  } catch {
    return 'its header is not JSON';
  }
  const header = headerSchema.safeParse(raw);
  if (!header.success) return `its header: ${header.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
  const data = bundle.subarray(8 + headLength);
  const folds: FoldFiles[] = [];
  for (const f of header.data.folds) {
    const files: Record<string, Buffer> = {};
    for (const [name, [offset, length]] of Object.entries(f.files)) {
      if (offset + length > data.length) return `${name} runs past the bundle's end`;
      files[name] = data.subarray(offset, offset + length);
    }
    folds.push({ ...(f.fold !== undefined && { fold: f.fold }), files });
  }
  return folds;
}

/** The hidden sibling a run folder is written into before it takes the folder's place. */
export const stagingOf = (dir: string) => join(dirname(dir), `.${basename(dir)}.delivery`);

/** Writes the files into `dir`'s staging folder (names were checked by the header schema: no '..', relative). */
export async function stageFolder(dir: string, files: Record<string, Uint8Array>): Promise<void> {
  const staging = stagingOf(dir);
  await rm(staging, { recursive: true, force: true });
  const paths = Object.keys(files).map((name) => ({ name, path: join(staging, ...name.split('/')) }));
  for (const folder of new Set([staging, ...paths.map((p) => dirname(p.path))])) await mkdir(folder, { recursive: true });
  await Promise.all(paths.map((p) => writeFile(p.path, files[p.name])));
}

/** The staging folder becomes `dir`, replacing what was there. */
export async function commitFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await rename(stagingOf(dir), dir);
}

/**
 * Writes the files as the folder `dir`: into a hidden sibling first, renamed into place at the
 * end, so a crash never leaves half a trial folder (and one rename costs less than a synced
 * write per file).
 */
export async function unpackFolder(dir: string, files: Record<string, Uint8Array>): Promise<void> {
  await stageFolder(dir, files);
  await commitFolder(dir);
}
