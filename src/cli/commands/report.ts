// dlx report RUN_OR_SWEEP… [-o report.html]: one self-contained HTML file.
import { line, type Io } from '../io.js';

export async function reportAction(io: Io, _signal: AbortSignal, targets: string[], flags: { out: string }): Promise<void> {
  const { writeReport } = await import('../../run/report.js');
  await writeReport(targets, flags.out);
  line(io.out, `report ${flags.out}`);
}
