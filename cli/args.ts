// The one argument parser of the CLI: Node's util.parseArgs, strict (an unknown option is an error,
// exit 2 in every command) and with positionals allowed, `-` among them (standard input).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { findGpu, nearestGpu } from '../core/catalog/gpus';
import { quote } from '../core/validate/problem';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommand<O extends OptionsConfig> {
  values: ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>['values'];
  positionals: string[];
}

/** `argv` parsed against `options`, or the usage error in words (`unknown option '--x'`). */
export function parseCommandArgs<const O extends OptionsConfig>(argv: string[], options: O): ParsedCommand<O> | { error: string } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: { ...values }, positionals };
  } catch (err) {
    return { error: usageError(err) };
  }
}

/** Node's message, shortened to the option it is about where it names one. */
function usageError(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  const option = /'(-[\w-]*)/.exec(message)?.[1];
  if (option && e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${option}'`;
  if (option && e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.endsWith('argument missing')) return `${option} needs a value`;
  return message;
}

/** A `--gpu` value: undefined when the catalog knows it, else the usage error (with the id it was probably meant to be). */
export function gpuOptionError(value: string | undefined): string | undefined {
  if (value === undefined || findGpu(value)) return undefined;
  const meant = nearestGpu(value);
  return `--gpu: unknown GPU ${quote(value)}${meant ? `; did you mean '${meant.id}'?` : ''} (the catalog's ids: docs/catalog.md)`;
}
