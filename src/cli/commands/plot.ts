// dlx plot RUN_OR_SWEEP…: (re)draw the plots/ SVG files of run folders and sweep folders.
import type { Command } from 'commander';
import type { Run } from '../flags.js';
import { line, type Io } from '../io.js';

export async function plotCommand(io: Io, targets: string[]): Promise<void> {
  const { writePlots } = await import('../../run/plot-target.js');
  for (const target of targets) {
    const written = await writePlots(target);
    line(io.out, `${written.dir}: ${written.files.map((f) => f.slice(written.dir.length + 1)).join(', ')}`);
  }
}

export function registerPlot(program: Command, io: Io, run: Run): void {
  program
    .command('plot')
    .description('draw the SVG plots of run folders (curves, lr, confusion, weights, norms) and sweep folders into their plots/')
    .argument('<folders...>', 'run or sweep folders')
    .addHelpText('after', '\nExample:\n  dlx plot runs/quickstart/20261125-101500-a1b2c3')
    .action((targets: string[]) => run(() => plotCommand(io, targets)));
}
