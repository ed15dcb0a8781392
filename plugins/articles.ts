import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { resolveSiteConfig, type SiteConfig } from "../src/config.ts";
import { createImagePipeline, defaultImageOptions, type ImageOptions } from "../src/images.ts";
import type { DeepPartial } from "../src/options.ts";
import { mergeOptions } from "../src/options.ts";
import { ArticleProblemsError } from "../src/problems.ts";
import { loadSite, type Site } from "../src/site.ts";
import type { EleventyConfig } from "./eleventy.ts";

/** Reads `articles/`, validates every article, runs its photos through the image pipeline and hands the result to the page templates as `midad`. */
export interface Options {
  /** Folder of Markdown articles, relative to the project root. Default `articles`. */
  articlesDir: string;
  /** Project root, against which paths resolve and are reported. Default: the working directory. */
  root: string;
  /** Site settings over the defaults of `src/config.ts`. Default: none. */
  site: DeepPartial<SiteConfig>;
  /** Publish `draft: true` articles, marked as drafts. Default false (the dev server turns it on). */
  includeDrafts: boolean;
  /** Image pipeline settings (see `src/images.ts`); `cacheDir` is relative to the root. Default: `.cache/images` and the measured encoder settings. */
  images: ImageOptions;
  /** Where the list of article problems is printed before the build stops. Default: standard error. */
  report: (text: string) => void;
}

export const defaults: Options = {
  articlesDir: "articles", root: process.cwd(), site: {}, includeDrafts: false,
  images: { ...defaultImageOptions, cacheDir: ".cache/images" },
  report: (text) => process.stderr.write(`${text}\n`),
};

export default function articlesPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  const config = resolveSiteConfig(options.site);
  const articlesDir = path.resolve(options.root, options.articlesDir);
  const imageOptions = { ...options.images, cacheDir: path.resolve(options.root, options.images.cacheDir) };
  // Set by each build's data step and read by the same build's after-step; a new build replaces it.
  let built: Site | undefined;

  eleventyConfig.addWatchTarget(articlesDir);
  eleventyConfig.addGlobalData("midad", async () => {
    built = undefined;
    try {
      const images = createImagePipeline(imageOptions);
      built = await loadSite({ root: options.root, articlesDir, config, includeDrafts: options.includeDrafts, images });
    } catch (error) {
      if (!(error instanceof ArticleProblemsError)) throw error;
      // Print the list once, plainly; Eleventy then repeats only this short summary and its stack.
      options.report(error.message);
      const summary = new Error(`${error.problems.length} article problem(s), listed above; nothing was published`, { cause: error });
      summary.stack = summary.message;
      throw summary;
    }
    return built;
  });

  eleventyConfig.on("eleventy.after", async ({ directories, outputMode }) => {
    if (outputMode !== "fs" || !built) return;
    await publishImages(built, path.resolve(options.root, directories.output), imageOptions.urlPath);
  });
}

/**
 * Copies the images the pages use from the cache into the site, and removes images no page uses
 * any more (a deleted or replaced photo), so the image folder holds exactly the current set.
 */
async function publishImages(site: Site, output: string, urlPath: string): Promise<void> {
  const files = new Map(site.articles.flatMap((article) => article.files.map((file) => [path.join(output, file.url), file.cachePath])));
  const folder = path.join(output, urlPath);
  await mkdir(folder, { recursive: true });
  const present = await readdir(folder);
  await Promise.all(present.map((name) => path.join(folder, name)).filter((file) => !files.has(file)).map((file) => rm(file, { recursive: true, force: true })));
  await Promise.all([...files].map(([target, cachePath]) => copyFile(cachePath, target)));
}
