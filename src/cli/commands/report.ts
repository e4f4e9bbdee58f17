// dlx report RUN_OR_SWEEP… [-o report.html]: one self-contained HTML file.
import type { Command } from 'commander';
import type { Run } from '../flags.js';
import { line, type Io } from '../io.js';

export function registerReport(program: Command, io: Io, run: Run): void {
  program
    .command('report')
    .description('one self-contained HTML file (inline SVG, no request) with the specs, their differences, metrics and every plot of runs and sweeps')
    .argument('<folders...>', 'run or sweep folders')
    .option('-o, --out <file>', 'the HTML file to write', 'report.html')
    .addHelpText('after', '\nExample:\n  dlx report runs/quickstart/* -o quickstart.html')
    .action((targets: string[], flags: { out: string }) => run(async () => {
      const { writeReport } = await import('../../run/report.js');
      await writeReport(targets, flags.out);
      line(io.out, `report ${flags.out}`);
    }));
}
