import { readdirSync } from "node:fs";
/**
 * One benchmark build, run by scripts/bench.ts in a child process of its own so that peak memory
 * is this build's alone and no build inherits another's warm caches:
 *
 *   node --import tsx scripts/bench-run.ts --kind midad|baseline --input DIR --output DIR
 *
 * Builds DIR (a folder of articles) to the output folder with Eleventy's `write()`, as a real build
 * does, then prints one JSON line (`RunResult`) as the last line of stdout. The timed part starts before Eleventy and the
 * configuration are imported, since a real build pays for those too, and ends when `write()` (and
 * with it the `eleventy.after` photo copying) has finished.
 */

import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { peakRssKiB, treeRssKiB } from "../src/memory.ts";

export type Kind = "midad" | "baseline";

export interface RunResult {
  kind: Kind;
  /** Import of Eleventy and the configuration, then the whole `write()`. */
  elapsedMs: number;
  /** The part of elapsedMs spent in `write()`. */
  writeMs: number;
  /** Peak RSS of the build, in KiB: its own process's (VmHWM, see src/memory.ts) or, when higher, the sum of it and its children (midad's image encoder processes), sampled every 250 ms. */
  maxRssKiB: number;
  /** HTML pages Eleventy wrote. */
  pages: number;
  /** Every file in the output folder afterwards (pages and photos), counted after timing. */
  files: number;
}

const repoRoot = path.resolve(import.meta.dirname, "..");

async function buildMidad(input: string, output: string): Promise<unknown> {
  const [{ default: Eleventy }, { midad }, { default: site }] = await Promise.all([
    import("@11ty/eleventy"),
    import("../.eleventy.ts"),
    import("../site.config.ts"),
  ]);
  const eleventy = new Eleventy(path.join(repoRoot, "templates"), output, {
    quietMode: true,
    config: midad({ articlesDir: input, root: repoRoot, site, includeDrafts: false }),
  });
  return timedWrite(eleventy);
}

async function buildBaseline(input: string, output: string): Promise<unknown> {
  const { default: Eleventy } = await import("@11ty/eleventy");
  // Relative to the working folder, as one would write `eleventy --input=…`: Eleventy maps passthrough
  // copies to the output by stripping the input folder from the paths its glob finds, which are relative.
  const eleventy = new Eleventy(path.relative(process.cwd(), input) || ".", output, {
    quietMode: true,
    configPath: path.join(repoRoot, "scripts/baseline/eleventy.config.js"),
  });
  return timedWrite(eleventy);
}

let writeMs = 0;
async function timedWrite(eleventy: { write(): Promise<unknown> }): Promise<unknown> {
  const start = performance.now();
  try {
    return await eleventy.write();
  } finally {
    writeMs = performance.now() - start;
  }
}

/** `write()` resolves to `[passthroughCopies, templates]`; a template result with an outputPath is a written page. */
function countPages(written: unknown): number {
  const templates = Array.isArray(written) ? (written[1] as unknown) : undefined;
  if (!Array.isArray(templates)) throw new Error("Eleventy's write() did not return the list of written templates");
  return templates.flat(Infinity).filter((entry: unknown) => {
    const outputPath = (entry as { outputPath?: unknown } | null)?.outputPath;
    return typeof outputPath === "string" && outputPath.endsWith(".html");
  }).length;
}

async function countFiles(dir: string): Promise<number> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).length;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { kind: { type: "string" }, input: { type: "string" }, output: { type: "string" } },
    strict: true,
  });
  const { kind, input, output } = values;
  if ((kind !== "midad" && kind !== "baseline") || !input || !output) {
    throw new Error("usage: node --import tsx scripts/bench-run.ts --kind midad|baseline --input DIR --output DIR");
  }
  const inputDir = path.resolve(input);
  const outputDir = path.resolve(output);

  let treePeakKiB = 0;
  const sampler = setInterval(() => (treePeakKiB = Math.max(treePeakKiB, treeRssKiB())), 250);
  const start = performance.now();
  const written = kind === "midad" ? await buildMidad(inputDir, outputDir) : await buildBaseline(inputDir, outputDir);
  const elapsedMs = performance.now() - start;
  clearInterval(sampler);
  const maxRssKiB = Math.max(peakRssKiB(), treePeakKiB);

  const result: RunResult = {
    kind, elapsedMs, writeMs, maxRssKiB, pages: countPages(written), files: await countFiles(outputDir),
  };
  // Eleventy prints its own summary to stdout too: the result is the last line that is JSON.
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
