// The typed errors every layer above the engine throws. Only src/cli turns them into
// messages and exit codes (DESIGN.md "Errors and bad input"); this module imports nothing.

/** Exit codes of the CLI, documented in the README. */
export const ExitCode = {
  ok: 0,
  bug: 1,
  badSpec: 2,
  badData: 3,
  diverged: 4,
  environment: 5,
  busy: 6,
  interrupted: 130,
} as const;

export abstract class DlxError extends Error {
  abstract readonly exitCode: number;
}

/** A spec, an override or a command-line argument is wrong. `problems` holds every message. */
export class SpecError extends DlxError {
  readonly exitCode = ExitCode.badSpec;
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** A data file or checkpoint is missing, unreadable or malformed. */
export class DataError extends DlxError {
  readonly exitCode = ExitCode.badData;
}

/** The system refused: disk full, a read-only or vanished folder, no permission, too little memory. */
export class EnvironmentError extends DlxError {
  readonly exitCode = ExitCode.environment;
}

/** The loss became NaN or infinite. */
export class DivergedError extends DlxError {
  readonly exitCode = ExitCode.diverged;
}

/** The user interrupted training (SIGINT). */
export class InterruptedError extends DlxError {
  readonly exitCode = ExitCode.interrupted;
}

/** Another live dlx process holds the run folder's lock. */
export class RunBusyError extends DlxError {
  readonly exitCode = ExitCode.busy;
}
