import { spawn } from "node:child_process";
import { cpSync, rmSync, symlinkSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ParseArgsConfig, parseArgs } from "node:util";

/** What `npm run bench` and `npm run bench:images` share: arguments, a work folder, child runs, medians and tables. */

/** A fault of the bench's arguments or of a measured run, printed as one line with the bench's name. */
export class BenchError extends Error {}

/** The bench's options, or a BenchError naming the bad one and the usage line. */
export function readBenchOptions<const T extends NonNullable<ParseArgsConfig["options"]>>(options: T, usage: string) {
  try {
    return parseArgs({ options, strict: true }).values;
  } catch (error) {
    throw new BenchError(`${(error as Error).message}\n${usage}`);
  }
}

/** `--name`'s value as a positive integer, or as a share from 0 to 1 (`share`), `fallback` when not given. */
export function numberOption(
  name: string,
  value: string | undefined,
  fallback: number,
  usage: string,
  { share = false } = {},
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const valid = share ? n >= 0 && n <= 1 : Number.isInteger(n) && n >= 1;
  if (!valid)
    throw new BenchError(
      `--${name} must be ${share ? "a share from 0 to 1" : "a positive integer"}, got "${value}"\n${usage}`,
    );
  return n;
}

/** A temporary folder for one bench, removed at the end, and on Ctrl-C or SIGTERM too. */
export async function workFolder(prefix: string): Promise<{ dir: string; cleanUp: () => void }> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(code);
    });
  }
  return { dir, cleanUp };
}

/** Runs the bench, printing a BenchError as one line under its name and anything else in full, with exit status 1. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof BenchError ? `${name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}

/** How a child Node process ended, with everything it printed. */
export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs Node with `args` in `cwd`: each measured phase runs in a process of its own. */
export function runNode(args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A table for the terminal: the first row is the header, ruled off; the first column left-aligned, the others
 * right-aligned.
 */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join("   ")
      .trimEnd();
  return [line(rows[0]!), widths.map((width) => "-".repeat(width)).join("   "), ...rows.slice(1).map(line)]
    .map((text) => `  ${text}`)
    .join("\n");
}

/**
 * A copy of midad's code (from `repoRoot`) in `dir`, sharing the repository's node_modules, so the bench owns its
 * caches and can edit a template.
 */
export function copyProject(repoRoot: string, dir: string): void {
  for (const name of [
    "src",
    "templates",
    "plugins",
    "scripts",
    ".eleventy.ts",
    "site.config.ts",
    "package.json",
    "package-lock.json",
    "tsconfig.json",
  ]) {
    cpSync(path.join(repoRoot, name), path.join(dir, name), { recursive: true });
  }
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"));
}
