/**
 * Build benchmark: midad against stock Eleventy on the same generated corpus.
 *
 *   npm run bench -- [--count 1000] [--runs 1]
 *
 * 1. Generates `count` articles with ../shared/bench/make-corpus.mjs into a temporary folder.
 * 2. Builds them with the full midad build and with a minimal stock Eleventy configuration
 *    (scripts/baseline/), each build in a child process of its own (scripts/bench-run.ts), so peak
 *    memory is per build and neither build warms the other's caches. Runs alternate the order
 *    (baseline first on odd runs); with several runs the medians are reported.
 * 3. Prints time, pages, pages/s and peak memory of both, and checks the targets: midad takes at most
 *    1.5 times as long as the baseline and peaks under 1 GiB. A missed target is a result, not a
 *    failure: the exit code is non-zero only when a build (or the corpus generation) fails.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Kind, RunResult } from "./bench-run.ts";
import { runNode, type Ran } from "./run-node.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");
const corpusScript = path.resolve(repoRoot, "../shared/bench/make-corpus.mjs");
const runnerScript = path.join(import.meta.dirname, "bench-run.ts");
const targets = { maxTimeRatio: 1.5, maxPeakMiB: 1024 };

class BenchError extends Error {}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new BenchError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

const usage = "usage: npm run bench -- [--count N (default 1000)] [--runs N (default 1)]";

function readOptions(): { count: number; runs: number } {
  let values: { count?: string; runs?: string };
  try {
    ({ values } = parseArgs({ options: { count: { type: "string" }, runs: { type: "string" } }, strict: true }));
  } catch (error) {
    throw new BenchError(`${(error as Error).message}\n${usage}`);
  }
  return { count: positiveInteger("count", values.count, 1000), runs: positiveInteger("runs", values.runs, 1) };
}

function describeExit(ran: Ran): string {
  return ran.signal ? `was killed by ${ran.signal}` : `exited with code ${ran.code}`;
}

async function generateCorpus(workDir: string, count: number): Promise<string> {
  if (!existsSync(corpusScript)) {
    throw new BenchError(`the corpus generator is missing: expected ${corpusScript} (../shared/bench/make-corpus.mjs next to the repository)`);
  }
  // Relative --out, run from the work folder: make-corpus.mjs splits its arguments on "--" and spaces.
  const ran = await runNode([corpusScript, "--count", String(count), "--out", "corpus"], workDir);
  if (ran.code !== 0) throw new BenchError(`make-corpus.mjs ${describeExit(ran)}:\n${ran.stderr}${ran.stdout}`);
  return path.join(workDir, "corpus");
}

/**
 * Flushes written data to disk before a build, so a build does not pay for the write-back of the
 * corpus or of the previous build's output (and its deletion). Where there is no `sync`, skip it.
 */
function settleDisk(): void {
  spawnSync("sync", { stdio: "ignore" });
}

async function build(kind: Kind, corpus: string, output: string): Promise<RunResult> {
  settleDisk();
  const ran = await runNode(["--import", "tsx", runnerScript, "--kind", kind, "--input", corpus, "--output", output], repoRoot);
  const resultLine = ran.stdout.trimEnd().split("\n").reverse().find((line) => line.startsWith("{"));
  if (ran.code !== 0 || resultLine === undefined) {
    const reason = ran.code !== 0 ? describeExit(ran) : "printed no result";
    throw new BenchError(`the ${kind} build failed (${reason}):\n${ran.stderr.trim() || ran.stdout.trim()}`);
  }
  return JSON.parse(resultLine) as RunResult;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Summary {
  seconds: number;
  pages: number;
  pagesPerSecond: number;
  peakMiB: number;
}

function summarise(results: RunResult[]): Summary {
  const seconds = median(results.map((r) => r.elapsedMs)) / 1000;
  const pages = median(results.map((r) => r.pages));
  return { seconds, pages, pagesPerSecond: pages / seconds, peakMiB: median(results.map((r) => r.maxRssKiB)) / 1024 };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join("   ")).join("\n");
}

async function countPhotos(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((name) => /\.(png|jpe?g)$/i.test(name)).length;
}

async function main(): Promise<void> {
  const { count, runs } = readOptions();
  const workDir = await mkdtemp(path.join(tmpdir(), "midad-bench-"));
  const cleanUp = () => rmSync(workDir, { recursive: true, force: true });
  process.once("SIGINT", () => {
    cleanUp();
    process.exit(130);
  });
  try {
    const corpus = await generateCorpus(workDir, count);
    const photos = await countPhotos(corpus);
    console.log(`corpus: ${count} articles, ${photos} photos; ${runs} run${runs === 1 ? "" : "s"}, baseline first on odd runs`);

    const results: Record<Kind, RunResult[]> = { midad: [], baseline: [] };
    for (let number = 1; number <= runs; number++) {
      const order: Kind[] = number % 2 === 1 ? ["baseline", "midad"] : ["midad", "baseline"];
      for (const kind of order) {
        const output = path.join(workDir, `site-${kind}-${number}`);
        const result = await build(kind, corpus, output);
        rmSync(output, { recursive: true, force: true });
        results[kind].push(result);
        console.log(`  run ${number} ${kind.padEnd(8)} ${(result.elapsedMs / 1000).toFixed(2)} s (write ${(result.writeMs / 1000).toFixed(2)} s), ${result.pages} pages, ${result.files} files, peak ${(result.maxRssKiB / 1024).toFixed(1)} MiB`);
      }
    }

    const midad = summarise(results.midad);
    const baseline = summarise(results.baseline);
    const label = runs > 1 ? ` (median of ${runs} runs)` : "";
    console.log("");
    console.log(table([
      [`build${label}`, "time (s)", "pages", "pages/s", "peak RSS (MiB)"],
      ...([["midad", midad], ["baseline", baseline]] as const).map(([name, s]) => [
        name, s.seconds.toFixed(2), String(s.pages), s.pagesPerSecond.toFixed(1), s.peakMiB.toFixed(1),
      ]),
    ]));
    const ratio = midad.seconds / baseline.seconds;
    const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");
    console.log("");
    console.log(`midad/baseline time: ${ratio.toFixed(2)}   target <= ${targets.maxTimeRatio}   ${verdict(ratio <= targets.maxTimeRatio)}`);
    console.log(`midad peak memory:   ${midad.peakMiB.toFixed(1)} MiB   target < ${targets.maxPeakMiB} MiB   ${verdict(midad.peakMiB < targets.maxPeakMiB)}`);
  } finally {
    cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchError ? `bench: ${error.message}` : error);
  process.exitCode = 1;
});
