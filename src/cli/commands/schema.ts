// dlx schema: the JSON Schema of a spec, for editors (yaml-language-server).
import type { Command } from 'commander';
import type { Run } from '../flags.js';
import { line, type Io } from '../io.js';

export function registerSchema(program: Command, io: Io, run: Run): void {
  program
    .command('schema')
    .description('print the JSON Schema of a spec (a sweep spec\'s sweep: section included)')
    .addHelpText('after', '\nExample:\n  dlx schema > dlx.schema.json   # then: # yaml-language-server: $schema=dlx.schema.json')
    .action(() => run(async () => {
      const { specJsonSchema } = await import('../../config/json-schema.js');
      const { sweepSchema } = await import('../../sweep/settings.js');
      line(io.out, JSON.stringify(specJsonSchema({ sweep: sweepSchema }), null, 2));
    }));
}
