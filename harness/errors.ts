import { readFileSync } from 'node:fs';

/**
 * The three kinds of failure a lab engineer must tell apart, each with its own exit code
 * (DEVELOPERS.md): a mistake in what the user gave us (2), the machine or device failing (3),
 * and a measured regression (1, decided by the gate, not raised as an error).
 */
export const EXIT = {
  ok: 0,
  regression: 1,
  badInput: 2,
  infrastructure: 3,
  sigint: 130,
  sigterm: 143,
} as const;

/** Something the user can fix: a bad suite, a missing asset, a corrupt model, an unknown target. */
export class UserError extends Error {
  readonly exitCode = EXIT.badInput;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** The machine failed us: a device is unavailable, a backend crashed, a call timed out. */
export class InfraError extends Error {
  readonly exitCode = EXIT.infrastructure;
  constructor(message: string) {
    super(message);
    this.name = 'InfraError';
  }
}

/**
 * Reads a file the user pointed us at; failing, a bad-input error that names what it is, the path
 * and why (ENOENT, EACCES...), plus a hint. `what` is e.g. 'results' or 'baseline'.
 */
export function readUserFile(file: string, what: string, hint = ''): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${what} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})${hint ? `; ${hint}` : ''}.`);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
