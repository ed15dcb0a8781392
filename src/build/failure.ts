import { statfsSync } from "node:fs";
import path from "node:path";

/**
 * A fault a user can meet and fix (bad articles, a bad `site.config.ts` value, a missing folder,
 * a build already running): its message names the thing, the reason and the fix, and is shown
 * alone, without a stack.
 */
export class FixableError extends Error {
  override name = "FixableError";
}

export interface DescribeOptions {
  /** Adds every stack of the chain, for `--verbose` or `DEBUG`. */
  verbose: boolean;
  /** The folder being written, named when a full disk's error does not say which file (a write to an open file). */
  writingTo?: string;
}

/** `--verbose` on the command line, or `DEBUG` set (as Eleventy reads it), asks for stacks. */
export function wantsVerbose(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean {
  return argv.includes("--verbose") || Boolean(env.DEBUG);
}

/**
 * What the terminal shows for a failure: a FixableError's message alone; a full disk as one line
 * with where and how much is free; anything else as its chain of reasons (Eleventy wraps a
 * template's error in its own), each once. Stacks only when asked for.
 */
export function describeFailure(error: unknown, options: DescribeOptions): string {
  const chain = causes(error);
  const fixable = chain.find((link) => link instanceof FixableError);
  const full = chain.find(isDiskFull);
  const text = fixable
    ? fixable.message
    : full
      ? diskFullMessage(full, options.writingTo)
      : [...new Set(chain.map(reasonOf))].join("\n  because: ");
  if (options.verbose)
    return `${text}\n\n${chain.map((link) => (link instanceof Error ? link.stack : String(link))).join("\n\ncaused by: ")}`;
  return fixable || full ? text : `${text}\n  (run again with --verbose to see where it happened)`;
}

/** The error and what it wraps: `cause`, and Eleventy's `originalError`. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let link = error; link !== undefined && !chain.includes(link); link = nextCause(link)) chain.push(link);
  return chain;
}

function nextCause(error: unknown): unknown {
  if (!(error instanceof Error)) return undefined;
  return error.cause ?? (error as { originalError?: unknown }).originalError;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** ENOSPC, or EDQUOT (a quota): errors from worker threads arrive without `code`, so the message counts too. */
export function isDiskFull(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOSPC" || code === "EDQUOT" || /^(?:ENOSPC|EDQUOT)\b/.test(error.message);
}

function diskFullMessage(error: Error, folder: string | undefined): string {
  const file = (error as NodeJS.ErrnoException).path ?? /'([^']+)'/.exec(error.message)?.[1];
  // A file of the build's own staging folder, deleted by now, is named by the folder the user gave.
  const inFolder = folder !== undefined && (file === undefined || !path.relative(folder, file).startsWith(".."));
  const where = inFolder ? ` while writing into ${folder}` : file ? ` while writing ${file}` : "";
  const free = inFolder ? freeBytes(folder) : file ? freeBytes(path.dirname(file)) : undefined;
  const left = free === undefined ? "" : ` (${free.toLocaleString("en")} bytes were free there when it stopped)`;
  return `the disk is full${where}${left}: free some space, or build onto another disk with --output DIR`;
}

/** Bytes free for unprivileged writes on the file system of `folder`, or of its nearest existing parent. */
function freeBytes(folder: string): number | undefined {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    try {
      const stats = statfsSync(dir);
      return stats.bavail * stats.bsize;
    } catch {
      if (dir === path.dirname(dir)) return undefined;
    }
  }
}
