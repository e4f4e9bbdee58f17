// The files of a (ustar or GNU) tar archive, for CIFAR's .tar.gz: 512-byte headers with the name
// and an octal size, each file's data padded to 512 bytes. Sizes are checked against the archive.
import { DataError } from '../../common/errors.js';

export function* tarEntries(archive: Uint8Array, file: string): Generator<{ name: string; data: Uint8Array }> {
  const text = (from: number, length: number) => {
    const bytes = archive.subarray(from, from + length);
    const end = bytes.indexOf(0);
    return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8');
  };
  let at = 0;
  while (at + 512 <= archive.length) {
    if (archive.subarray(at, at + 512).every((b) => b === 0)) return; // end of archive
    const size = parseInt(text(at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(archive[at + 156] || 48);
    const prefix = text(at + 345, 155);
    const name = (prefix ? `${prefix}/` : '') + text(at, 100);
    if (!Number.isFinite(size) || at + 512 + size > archive.length) {
      throw new DataError(`${file}: a tar entry '${name}' of ${size} bytes runs past the archive's end`);
    }
    if (type === '0' || type === '\0') yield { name, data: archive.subarray(at + 512, at + 512 + size) };
    at += 512 + Math.ceil(size / 512) * 512;
  }
}
