import path from "node:path";
import { performance } from "node:perf_hooks";
import Eleventy from "@11ty/eleventy";
import { midad } from "../.eleventy.ts";
import site from "../site.config.ts";
import { scanSite } from "../src/build/active-content.ts";
import { describeFailure, wantsVerbose } from "../src/build/failure.ts";
import { exitCodeOf, InterruptedError, watchForInterruption } from "../src/build/interruption.ts";
import { checkHostLimits, describeOutput, reportOutput } from "../src/build/output-report.ts";
import {
  acquireLock,
  type BuildLock,
  createStaging,
  discardStaging,
  publish,
  recoverInterrupted,
} from "../src/build/staging.ts";
import { defaultImageOptions } from "../src/images/pipeline.ts";
import { ActiveContentError } from "../src/publish/page-writer.ts";
import { buildTimeFrom } from "../src/site/build-time.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { type HostName, hostNames, hostProfile, isHostName } from "../src/site/hosts.ts";
import { searchIndexFolder } from "../src/site/urls.ts";
import { listTree } from "../src/util/walk.ts";
import { readOptions, stop } from "./command-line.ts";

/**
 * `npm run build`: builds the whole site into a fresh staging folder, scans every page for active
 * content, and only then replaces the output with it in one rename. A build that fails, is
 * interrupted (Ctrl-C, SIGTERM), is killed or runs out of disk leaves the output exactly as it
 * was; a second build started meanwhile stops at the lock. Failures are one message, without a
 * stack unless asked for.
 *   npm run build [-- --output _site --articles articles --host NAME --verbose]
 *   npm run build -- --config FILE   (an Eleventy config file to build with instead of midad's own, as the tests do)
 */
const values = readOptions("build", {
  output: { type: "string", default: "_site" },
  articles: { type: "string", default: "articles" },
  config: { type: "string" },
  host: { type: "string" },
  verbose: { type: "boolean", default: false },
});
const verbose = wantsVerbose();
if (values.host !== undefined && !isHostName(values.host))
  stop(`--host ${values.host} is not a host midad knows: give one of ${hostNames.join(", ")} (docs/hosts.md)`);
// `--host` stands in for site.config.ts's `host` for this build.
const siteSettings = values.host ? { ...site, host: values.host as HostName } : site;
// The photos' folder in the output, for the output's report.
const imagesFolder = defaultImageOptions.urlPath.slice(1, -1);

async function build(output: string): Promise<number> {
  const started = performance.now();
  const notes: string[] = [];
  let lock: BuildLock | undefined;
  let staging: string | undefined;
  const interruption = watchForInterruption((signal) => {
    lock?.releaseSync();
    console.error(
      `Stopped at once (${signal} again): ${values.output} was left as it was${staging ? `; the next build removes what is left of ${staging}` : ""}.`,
    );
    process.exit(exitCodeOf(signal));
  });
  let failure: string | undefined;
  try {
    lock = await interruption.race(acquireLock(output, notes));
    await interruption.race(recoverInterrupted(output, notes));
    for (const note of notes) console.log(note);
    // A config of the user's own may have no page writer to check the page links kept from the last site.
    const { dir, kept } = await interruption.race(createStaging(output, { keepPages: !values.config }));
    staging = dir;
    const config = resolveSiteConfig(siteSettings);
    const host = hostProfile(config.host, config.hostLimits);
    // One moment for the whole build, so scheduling, feeds and the news sitemap agree.
    const buildTime = buildTimeFrom(process.env);
    // Pages the page writer scanned as it rendered them; only the rest are scanned below.
    const scanned = new Set<string>();
    let pageFiles: string[] = [];
    const onPagesWritten = (written: { pages: string[]; files: string[] }) => {
      for (const page of written.pages) scanned.add(page);
      pageFiles = written.files;
    };
    // The search page's script, the one script the scan lets through, there only.
    const allowedScripts = new Map<string, string>();
    const onSearchPage = (page: string, scriptUrl: string) => allowedScripts.set(page, scriptUrl);
    const eleventy = new Eleventy("templates", staging, {
      // As on the command line: the staging folder wins over a config file's `dir.output`.
      source: "cli",
      quietMode: true,
      ...(values.config
        ? { configPath: values.config }
        : {
            config: midad({
              site: siteSettings,
              articlesDir: values.articles,
              buildTime: () => buildTime,
              pages: { kept, onPagesWritten },
              search: { onSearchPage },
            }),
          }),
    });
    // Failures are reported once, below; Eleventy's log would add its own wording and stacks.
    if (!verbose) eleventy.disableLogger();
    await interruption.race(eleventy.write());
    // One walk of the staging folder, after its last write, for the scan and the publishing.
    const tree = listTree(staging);
    const scan = await interruption.race(scanSite(staging, { scanned, allowedScripts, tree }));
    // Every site has a home page and a 404 page: none means the build wrote somewhere else.
    if (scan.pages === 0) throw new Error(`the build wrote no page into its staging folder ${staging}`);
    if (scan.found.length > 0) throw new ActiveContentError(scan.found);
    // Checked before publishing: an output the host would refuse fails here, and the site stays as it was.
    const report = reportOutput(staging, output, tree, { images: imagesFolder, search: searchIndexFolder });
    const warnings = values.config ? [] : checkHostLimits(report, host);
    // Two renames: a signal now waits for them, and the site is published.
    await publish(staging, output, { pageFiles, tree, keptFolders: [searchIndexFolder] });
    staging = undefined;
    for (const warning of warnings) console.warn(`warning: ${warning}`);
    console.log(describeOutput(report, host));
    console.log(
      `Published ${scan.pages} pages to ${values.output} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
    return 0;
  } catch (error) {
    failure = describeFailure(error, { verbose, writingTo: path.dirname(output) });
    return error instanceof InterruptedError ? exitCodeOf(error.signal) : 1;
  } finally {
    if (failure) console.error(failure);
    if (staging) await discardStaging(staging);
    await lock?.release();
    if (failure)
      console.error(`The build ${interruption.signal ? "stopped" : "failed"}: ${values.output} was left as it was.`);
    interruption.dispose();
  }
}

const status = await build(path.resolve(values.output));
// An interrupted build's Eleventy run and its worker threads may still be busy: they stop here, with the process.
if (status > 1) process.exit(status);
process.exitCode = status;
