import { type ParseArgsConfig, parseArgs } from 'node:util';
import { z } from 'zod';

/** A `--name N` option given as text, checked to be a whole number in [min, max]. */
export function wholeNumberArg(name: string, min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .pipe(z.number().min(min, `${name} must be at least ${min}`).max(max, `${name} must be at most ${max}`));
}

/**
 * Parses command-line options strictly (no positionals, unknown options are
 * errors) and validates them with `schema`: the scripts' one way to read
 * their arguments, with every problem in one readable message.
 */
export function parseOptions<T>(
  argv: readonly string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: z.ZodType<T>,
): { ok: true; values: T } | { ok: false; message: string } {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((issue) => issue.message).join('; ') };
  return { ok: true, values: parsed.data };
}
