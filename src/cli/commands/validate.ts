// dlx validate SPEC…: every problem of every file, and whether the model fits the data; no
// training.
import { DataError, SpecError } from '../../common/errors.js';
import { line, type Io } from '../io.js';

export async function validateAction(io: Io, _signal: AbortSignal, specs: string[], flags: { set?: string[] }): Promise<void> {
  const { validateFile } = await import('../../run/sweep-spec.js');
  const { checkShapes } = await import('../../run/check-shapes.js');
  const { overridesFrom } = await import('../options.js');
  const overrides = overridesFrom(flags.set);
  const problems: string[] = [];
  const dataProblems: string[] = [];
  for (const file of specs) {
    try {
      const { loaded } = await validateFile(file, overrides);
      await checkShapes(loaded);
      line(io.out, `${io.color.green('ok')} ${file}`);
    } catch (e) {
      if (e instanceof SpecError) problems.push(...e.problems);
      else if (e instanceof DataError) dataProblems.push(`${file}: ${e.message}`);
      else throw e;
    }
  }
  // a spec problem is exit 2 even beside a data problem: the spec must be fixed first
  if (problems.length > 0) throw new SpecError([...problems, ...dataProblems]);
  if (dataProblems.length > 0) throw new DataError(dataProblems.join('\nerror '));
}
