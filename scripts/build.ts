import { rm } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import Eleventy from "@11ty/eleventy";
import { midad } from "../.eleventy.ts";
import site from "../site.config.ts";
import { scanSite } from "../src/active-content.ts";
import { ActiveContentError } from "../src/page-writer.ts";
import { buildTimeFrom } from "../src/build-time.ts";
import { acquireLock, BuildLockedError, createStaging, publish, recoverInterrupted } from "../src/staging.ts";

/**
 * `npm run build`: builds the whole site into a fresh staging folder, scans every page for active
 * content, and only then replaces the output with it in one rename. A build that fails, is killed or
 * runs out of disk leaves the output exactly as it was; a second build started meanwhile stops at the lock.
 *   npm run build [-- --output _site --articles articles]
 *   npm run build -- --config FILE   (an Eleventy config file to build with instead of midad's own, as the tests do)
 */
const { values } = parseArgs({ options: {
  output: { type: "string", default: "_site" },
  articles: { type: "string", default: "articles" },
  config: { type: "string" },
} });

/** Eleventy prints the errors of its own build; they are not printed twice. */
class EleventyFailed extends Error {}

async function build(output: string): Promise<number> {
  const started = performance.now();
  const notes: string[] = [];
  // Another build holding the lock, or a folder the lock cannot be written in: nothing was touched.
  const lock = await acquireLock(output, notes).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  if (lock instanceof Error) {
    console.error(lock instanceof BuildLockedError ? lock.message : `the build cannot take its lock: ${lock.message}`);
    return 1;
  }
  let staging: string | undefined;
  try {
    await recoverInterrupted(output, notes);
    for (const note of notes) console.log(note);
    staging = await createStaging(output);
    // One moment for the whole build, so scheduling, feeds and the news sitemap agree.
    const buildTime = buildTimeFrom(process.env);
    // Pages the page writer scanned as it rendered them; only the rest are scanned below.
    const scanned = new Set<string>();
    const onPagesWritten = (pages: string[]) => pages.forEach((page) => scanned.add(page));
    const eleventy = new Eleventy("templates", staging, {
      // As on the command line: the staging folder wins over a config file's `dir.output`.
      source: "cli",
      quietMode: true,
      ...(values.config ? { configPath: values.config } : { config: midad({ site, articlesDir: values.articles, buildTime: () => buildTime, pages: { onPagesWritten } }) }),
    });
    await eleventy.write().catch((error: unknown) => {
      throw new EleventyFailed("the build stopped", { cause: error });
    });

    const scan = await scanSite(staging, scanned);
    // Every site has a home page and a 404 page: none means the build wrote somewhere else.
    if (scan.pages === 0) throw new Error(`the build wrote no page into its staging folder ${staging}`);
    if (scan.found.length > 0) throw new ActiveContentError(scan.found);
    await publish(staging, output);
    staging = undefined;
    console.log(`Published ${scan.pages} pages to ${values.output} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } catch (error) {
    if (!(error instanceof EleventyFailed)) console.error(error instanceof Error ? error.message : error);
    console.error(`The build failed: ${values.output} was left as it was.`);
    return 1;
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
    await lock.release();
  }
}

process.exitCode = await build(path.resolve(values.output));
