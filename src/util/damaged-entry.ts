import path from "node:path";

/**
 * Told of a cache entry that cannot be used (cut short by a killed build, damaged, half restored by a CI cache), which
 * the build then makes again: the entry's file, and what is wrong with it and what is done instead.
 */
export type DamagedEntry = (file: string, what: string) => void;

/** The default: one `warning:` line on standard error, naming the file from the working folder. */
export const warnDamagedEntry: DamagedEntry = (file, what) => {
  process.stderr.write(`warning: ${path.relative(process.cwd(), file)} ${what}\n`);
};
