// Warnings on stderr, which never mix with a command's output on stdout (CSV, JSON).
import { line, type Io } from './io.js';

/** eval and predict with --allow-changed-data: what differs from the run's recorded data. */
export function warnChangedData(io: Io, changes: readonly string[] | undefined): void {
  for (const c of changes ?? []) line(io.err, `${io.color.yellow('warning')} --allow-changed-data: ${c}`);
}
