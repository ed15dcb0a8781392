import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import pMap from "p-map";
import type { IndexMemory } from "../src/articles/article-index.ts";
import { ArticleProblemsError, formatProblems, type Problem } from "../src/articles/problems.ts";
import { defaultWarningLimits, type WarningLimits } from "../src/articles/warnings.ts";
import { ciService, workflowCommands } from "../src/build/annotations.ts";
import { FixableError } from "../src/build/failure.ts";
import { listDefaults, reportList, siteLists } from "../src/build/reports.ts";
import { createImagePipeline, defaultImageOptions, type ImageOptions } from "../src/images/pipeline.ts";
import { linkOrCopy } from "../src/publish/content-cache.ts";
import { withBodyPrefix } from "../src/publish/page-render.ts";
import { buildTimeFrom } from "../src/site/build-time.ts";
import { resolveSiteConfig, type SiteConfig } from "../src/site/config.ts";
import { loadSite, type Site } from "../src/site/site.ts";
import { filesAtOnce } from "../src/util/limits.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { mergeOptions } from "../src/util/options.ts";
import { html } from "../templates/html.ts";
import type { EleventyConfig } from "./eleventy.ts";
import type { SiteReady } from "./pages.ts";

/**
 * Reads `articles/`, validates every article, runs its photos through the image pipeline and hands the result to the
 * page templates as `midad`.
 */
export interface Options {
  /** Folder of Markdown articles, relative to the project root. Default `articles`. */
  articlesDir: string;
  /**
   * The newsroom's profiles of its bylines (see src/site/authors.ts), relative to the root; optional. Default:
   * `authors.yaml` beside the articles folder.
   */
  authorsFile: string;
  /**
   * The newsroom's titles and summaries of its stories, relative to the root; optional. Default: `stories.yaml`
   * beside the articles folder.
   */
  storiesFile: string;
  /** Project root, against which paths resolve and are reported. Default: the working directory. */
  root: string;
  /** Site settings over the defaults of `src/site/config.ts`. Default: none. */
  site: DeepPartial<SiteConfig>;
  /** Publish `draft: true` articles, marked as drafts. Default false (the dev server turns it on). */
  includeDrafts: boolean;
  /**
   * Image pipeline settings (see `src/images/pipeline.ts`); `cacheDir` is relative to the root. Default:
   * `.cache/images` and the measured encoder settings.
   */
  images: ImageOptions;
  /** Where problems, warnings and scheduled articles are printed. Default: standard error. */
  report: (text: string) => void;
  /**
   * Also print every problem and warning as a GitHub Actions workflow command, which a pull request shows on the
   * article's line (src/build/annotations.ts). Default: on GitHub Actions (`GITHUB_ACTIONS` is "true").
   */
  workflowCommands: boolean;
  /** Where those commands go: the runner reads them from standard output. Default: standard output. */
  annotate: (line: string) => void;
  /**
   * The moment of the build, read at each build: articles dated after it are left out until a build after it
   * (scheduled publishing). Default: `SOURCE_DATE_EPOCH` when set, else now.
   */
  buildTime: () => Date;
  /**
   * Keep building when articles have problems: those articles are left out, and every page shows the problems at its
   * top until they are fixed. Default false, so a build for publishing stops instead; the dev server turns it on.
   */
  keepGoing: boolean;
  /**
   * When a valid article gets a warning, printed without stopping the build. Default: `defaultWarningLimits` of
   * src/articles/warnings.ts.
   */
  warnings: WarningLimits;
  /**
   * How many entries the terminal shows of a list that grows with the archive (scheduled articles, warnings, articles
   * left out); the whole list goes to a file in `reportsDir`, which the message names. Problems that stop the build
   * are always listed in full. Default 10.
   */
  listed: number;
  /** Folder of those whole lists, relative to the root. Default `.cache/reports`. */
  reportsDir: string;
  /**
   * How long a saved file must stay unchanged before the dev server rebuilds, in ms: an editor writes an article in
   * one go, and Eleventy's 150 ms are most of the wait between a save and its page. Default 50.
   */
  watchSettleMs: number;
}

export const defaults: Options = {
  articlesDir: "articles",
  authorsFile: "",
  storiesFile: "",
  root: process.cwd(),
  site: {},
  includeDrafts: false,
  images: { ...defaultImageOptions, cacheDir: ".cache/images" },
  report: (text) => process.stderr.write(`${text}\n`),
  workflowCommands: ciService() === "github",
  annotate: (line) => process.stdout.write(`${line}\n`),
  buildTime: () => buildTimeFrom(process.env),
  keepGoing: false,
  warnings: defaultWarningLimits,
  listed: listDefaults.shown,
  reportsDir: listDefaults.reportsDir,
  watchSettleMs: 50,
};

export default function articlesPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  const config = resolveSiteConfig(options.site);
  const articlesDir = path.resolve(options.root, options.articlesDir);
  const imageOptions = { ...options.images, cacheDir: path.resolve(options.root, options.images.cacheDir) };
  // Set by each build's data step and read by the same build's after-step; a new build replaces it.
  let built: Site | undefined;
  // The dev server's list of problems, put at the top of every page; empty when there are none.
  let panel = "";
  // The article index as the last build saved it: the dev server's next build need not read it again.
  const indexMemory: IndexMemory = {};

  const authorsFile = options.authorsFile
    ? path.resolve(options.root, options.authorsFile)
    : path.join(path.dirname(articlesDir), "authors.yaml");
  eleventyConfig.addWatchTarget(articlesDir);
  eleventyConfig.setChokidarConfig({
    awaitWriteFinish: { stabilityThreshold: options.watchSettleMs, pollInterval: 10 },
  });
  const storiesFile = options.storiesFile
    ? path.resolve(options.root, options.storiesFile)
    : path.join(path.dirname(articlesDir), "stories.yaml");
  eleventyConfig.addWatchTarget(authorsFile);
  eleventyConfig.addWatchTarget(storiesFile);
  eleventyConfig.addGlobalData("midad", async () => {
    built = undefined;
    panel = "";
    try {
      const images = createImagePipeline(imageOptions);
      built = await loadSite({
        root: options.root,
        articlesDir,
        authorsFile,
        storiesFile,
        config,
        includeDrafts: options.includeDrafts,
        images,
        buildTime: options.buildTime(),
        keepGoing: options.keepGoing,
        warnings: options.warnings,
        indexMemory,
      });
    } catch (error) {
      if (!(error instanceof ArticleProblemsError)) throw error;
      if (options.workflowCommands) for (const line of workflowCommands(error.problems, [])) options.annotate(line);
      // Print the list once, plainly; whoever reports the failure (Eleventy, or `npm run build`) repeats only this
      // summary.
      options.report(error.message);
      const count = error.problems.length;
      const summary = new FixableError(
        `${count} article problem${count === 1 ? "" : "s"}, listed above; nothing was published`,
        { cause: error },
      );
      summary.stack = summary.message;
      throw summary;
    }
    if (options.workflowCommands)
      for (const line of workflowCommands(built.problems, built.warnings)) options.annotate(line);
    const lists = { dir: path.resolve(options.root, options.reportsDir), root: options.root, shown: options.listed };
    for (const list of siteLists(built)) {
      const text = reportList(list, lists);
      if (list.entries.length > 0) options.report(text);
    }
    panel = options.keepGoing && built.problems.length > 0 ? problemsPanel(built.problems) : "";
    await eleventyConfig.emit("midad.site", { site: built, problemsPanel: panel } satisfies SiteReady);
    return built;
  });

  if (options.keepGoing) {
    eleventyConfig.addTransform("midad-problems", function (this: { outputPath: string | false }, content: string) {
      return panel && String(this.outputPath).endsWith(".html") ? withBodyPrefix(content, panel) : content;
    });
  }

  eleventyConfig.on("eleventy.after", async ({ directories, outputMode }) => {
    if (outputMode !== "fs" || !built) return;
    await publishImages(built, path.resolve(options.root, directories.output), imageOptions.urlPath);
  });
}

/**
 * The dev server's notice at the top of every page, so a writer sees in the browser why an article
 * is missing; the next build after the fix drops it, and the dev server reloads the page. Styled inline.
 */
function problemsPanel(problems: Problem[]): string {
  return html`<aside id="midad-problems" role="alert" dir="ltr" lang="en" style="margin:0;padding:.75rem;border-inline-start:.4rem solid #c00;background:#fff;color:#111">
<pre style="white-space:pre-wrap;margin:0;font:14px/1.4 monospace">${formatProblems(problems, "problem", "these articles are left out until fixed")}</pre>
</aside>`.value;
}

/**
 * Puts the images the pages use from the cache into the site (hard links: a site of thousands of
 * photos holds a gigabyte of images, which a rebuild need not copy), and removes images no page
 * uses any more (a deleted or replaced photo), so the image folder holds exactly the current set.
 */
async function publishImages(site: Site, output: string, urlPath: string): Promise<void> {
  const files = new Map(
    site.articles.flatMap((article) => article.files.map((file) => [path.join(output, file.url), file.cachePath])),
  );
  const folder = path.join(output, urlPath);
  await mkdir(folder, { recursive: true });
  const unused = (await readdir(folder)).map((name) => path.join(folder, name)).filter((file) => !files.has(file));
  await pMap(unused, (file) => rm(file, { recursive: true, force: true }), { concurrency: filesAtOnce });
  for (const [target, cachePath] of files) linkOrCopy(cachePath, target);
}
