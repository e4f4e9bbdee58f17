// dlx plot RUN_OR_SWEEP…: (re)draw the plots/ SVG files of run folders and sweep folders.
import { line, type Io } from '../io.js';

export async function plotCommand(io: Io, _signal: AbortSignal, targets: string[]): Promise<void> {
  const { writePlots } = await import('../../run/plot-target.js');
  for (const target of targets) {
    const written = await writePlots(target);
    line(io.out, `${written.dir}: ${written.files.map((f) => f.slice(written.dir.length + 1)).join(', ')}`);
  }
}
