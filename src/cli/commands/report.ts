// dlx report RUN_OR_SWEEP… [-o report.html]: one self-contained HTML file.
import type { Command } from 'commander';
import { writeReport } from '../../run/report.js';
import { line, type Io } from '../io.js';

export function registerReport(program: Command, io: Io, run: (action: () => Promise<void>) => Promise<void>): void {
  program
    .command('report')
    .description('one self-contained HTML file (inline SVG, no request) with the specs, their differences, metrics and every plot of runs and sweeps')
    .argument('<folders...>', 'run or sweep folders')
    .option('-o, --out <file>', 'the HTML file to write', 'report.html')
    .addHelpText('after', '\nExample:\n  dlx report runs/quickstart/* -o quickstart.html')
    .action((targets: string[], flags: { out: string }) => run(async () => {
      await writeReport(targets, flags.out);
      line(io.out, `report ${flags.out}`);
    }));
}
