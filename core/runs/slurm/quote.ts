// Quoting for the two places where a string has to be built from values: the batch script (bash
// reads it) and the ssh remote command (ssh joins its arguments with spaces and the login shell
// parses the result). Everything else passes argv arrays. These functions are the only way spec
// values reach a shell; test/unit/slurm/quote.test.ts and the injection tests execute their output.

/** Thrown when a value cannot be represented safely (a NUL byte; a line break in a directive). */
export class UnquotableError extends Error {
  constructor(
    message: string,
    readonly value: string,
  ) {
    super(message);
    this.name = 'UnquotableError';
  }
}

/**
 * One POSIX shell word that stands for exactly `value`: single quotes, inside which nothing is
 * special, with each `'` written as `'\''`. Works in sh, dash, bash, ksh and zsh, for any bytes
 * but NUL (a C string cannot carry NUL, so no shell can receive one).
 */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new UnquotableError('a value contains a NUL byte', value);
  // Plain words stay readable in the previewed script. `=` is not plain: `A=b cmd` is an assignment,
  // and zsh expands a leading `=word`; `~` and glob characters are not plain either.
  if (/^[A-Za-z0-9_@%+:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** argv → one shell command line whose words are exactly argv. */
export function shJoin(argv: readonly string[]): string {
  if (argv.length === 0) throw new UnquotableError('empty command', '');
  return argv.map(shQuote).join(' ');
}

/**
 * A value for an `#SBATCH --opt=VALUE` line. sbatch (22.05) splits directive lines itself: inside
 * double quotes, `\"` and `\\` are escapes and everything else (spaces, `#`, `$`, backticks) is
 * literal; bash never sees these lines as code. A line break cannot be represented, since it ends
 * the directive, so it is refused rather than silently changed.
 */
export function sbatchDirectiveQuote(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new UnquotableError('a line break or NUL byte cannot appear in an #SBATCH directive', value);
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** A literal path inside a Slurm filename pattern (--output): `%` would start a pattern such as %j. */
export function slurmPatternLiteral(path: string): string {
  return path.replace(/%/g, '%%');
}
