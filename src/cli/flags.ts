// What command definitions need at start-up, without zod, YAML or the engine: `dlx --help`
// loads only this, commander and the command files (the work is imported on use).

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export const threadsHelp = 'threads for the large kernels (default: one per core, at most 8; capped at the core count; results do not depend on it)';


/** What main.ts gives each command: runs an action, turning its errors into exit codes. */
export type Run = (action: (signal: AbortSignal) => Promise<void>) => Promise<void>;
