import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { resolveSiteConfig, type SiteConfig } from "../src/config.ts";
import type { DeepPartial } from "../src/options.ts";
import { mergeOptions } from "../src/options.ts";
import { ArticleProblemsError } from "../src/problems.ts";
import { loadSite, type Site } from "../src/site.ts";
import type { EleventyConfig } from "./eleventy.ts";

/** Reads `articles/`, validates every article and hands the result to the page templates as `midad`. */
export interface Options {
  /** Folder of Markdown articles, relative to the project root. Default `articles`. */
  articlesDir: string;
  /** Project root, against which paths resolve and are reported. Default: the working directory. */
  root: string;
  /** Site settings over the defaults of `src/config.ts`. Default: none. */
  site: DeepPartial<SiteConfig>;
  /** Publish `draft: true` articles, marked as drafts. Default false (the dev server turns it on). */
  includeDrafts: boolean;
  /** Where the list of article problems is printed before the build stops. Default: standard error. */
  report: (text: string) => void;
}

export const defaults: Options = { articlesDir: "articles", root: process.cwd(), site: {}, includeDrafts: false,
  report: (text) => process.stderr.write(`${text}\n`),
};

export default function articlesPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  const config = resolveSiteConfig(options.site);
  const articlesDir = path.resolve(options.root, options.articlesDir);
  // Set by each build's data step and read by the same build's after-step; a new build replaces it.
  let built: Site | undefined;

  eleventyConfig.addWatchTarget(articlesDir);
  eleventyConfig.addGlobalData("midad", async () => {
    built = undefined;
    try {
      built = await loadSite({ root: options.root, articlesDir, config, includeDrafts: options.includeDrafts });
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
    const output = path.resolve(options.root, directories.output);
    // A photo used both as lead and in the body is copied once.
    const photos = new Map(built.articles.flatMap((article) => article.photos.map((photo) => [photo.url, photo.sourcePath])));
    await Promise.all([...photos].map(async ([url, sourcePath]) => {
      const target = path.join(output, decodeURIComponent(url));
      await mkdir(path.dirname(target), { recursive: true });
      await copyFile(sourcePath, target);
    }));
  });
}
