import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Asset } from "../src/publish/assets.ts";
import { contentHashedUrl } from "../src/publish/assets.ts";
import { type PrecompressOptions, precompressFiles } from "../src/publish/precompress.ts";
import { type IndexedPage, writeSearchIndex } from "../src/publish/search-index.ts";
import type { Site } from "../src/site/site.ts";
import { prefixedPath, searchIndexFolder, searchIndexUrl, searchPageUrl } from "../src/site/urls.ts";
import { type CompressionSettings, compressionDefaults } from "../src/util/compression.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { mergeOptions } from "../src/util/options.ts";
import { renderSearch } from "../templates/pages/search.ts";
import type { EleventyConfig } from "./eleventy.ts";
import { type PagesWritten, defaults as pagesDefaults } from "./pages.ts";
import { defaults as precompressDefaults } from "./precompress.ts";

/**
 * Search in the reader's browser: the search page (`/search/`), its script, and the Pagefind index
 * of the article pages, built from the output folder once the page writer has filled it, so a build
 * never publishes pages and an index of different builds. The search page is the only page with a
 * script; docs/search.md says what is indexed and why.
 */
export interface Options {
  /** The search page's script, published under a content-hashed name. Default: midad's `templates/scripts/search.js`. */
  script: string;
  /** Site folder the script is published in. Default: the pages plugin's `/assets/`, cached for a year. */
  assetsPath: string;
  /** The language the articles are indexed and searched as (ISO 639-1). Default `ar`. */
  language: string;
  /**
   * Articles in one shard of the index at most: Pagefind holds a shard's whole index in memory while it builds it (about
   * 250 KiB an article), and an edited article's shard is built again (about 2.2 ms an article); the smaller the shards,
   * the more a query downloads for as many articles (docs/search.md). Default 2,000.
   */
  shardSize: number;
  /** Shards a search covers at first, newest first, and adds each time the reader asks for older articles. Default 1. */
  shardsPerStep: number;
  /** Folder of the index's finished shards, relative to the root, each reused while its pages do not change. Default `.cache/search`. */
  cacheDir: string;
  /** Project root the script and cache paths are relative to. Default: the working directory. */
  root: string;
  /** How the index's scripts get their `.br` and `.gz` siblings. Default: the precompress plugin's settings. */
  compression: CompressionSettings;
  /** Whether the script and the index's JSON get `.br` and `.gz` siblings (see the pages plugin's). Default false. */
  precompress: boolean;
  /**
   * Called as the search page is rendered with its file (relative to the output folder) and its script's URL: the one
   * script the active-content scan allows, on that page only. Default: nothing.
   */
  onSearchPage: (page: string, scriptUrl: string) => void;
}

export const defaults: Options = {
  script: path.join(import.meta.dirname, "../templates/scripts/search.js"),
  assetsPath: pagesDefaults.assetsPath,
  language: "ar",
  shardSize: 2000,
  shardsPerStep: 1,
  cacheDir: ".cache/search",
  root: process.cwd(),
  compression: compressionDefaults,
  precompress: false,
  onSearchPage: () => undefined,
};

interface SearchData {
  midad: Site;
  stylesheet: string;
  logo: Asset;
  searchScript: { url: string };
}

export default function searchPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  // How the script and the index's files get their siblings, if the host serves them.
  const siblings = precompressOf(options);
  const scriptPath = path.resolve(options.root, options.script);
  // Read by each build's data step and written out by the same build's pages.
  let script: Promise<{ url: string; content: Buffer }> | undefined;
  // The dev server indexes in the background, one index at a time, so a saved article is served at once.
  let indexing: Promise<void> = Promise.resolve();
  eleventyConfig.addWatchTarget(scriptPath);
  eleventyConfig.addGlobalData("searchScript", async () => {
    script = readFile(scriptPath).then((content) => ({
      url: contentHashedUrl(options.assetsPath, path.basename(scriptPath), content),
      content,
    }));
    return { url: (await script).url };
  });
  eleventyConfig.addTemplate("search.11ty.js", {
    data: { eleventyExcludeFromCollections: true, permalink: `${searchPageUrl}index.html` },
    render: (data: SearchData) => {
      const site = data.midad;
      options.onSearchPage(`${searchPageUrl.slice(1)}index.html`, prefixedPath(site.config, data.searchScript.url));
      return renderSearch({ site, stylesheet: data.stylesheet, logo: data.logo }, site, {
        url: searchPageUrl,
        scriptUrl: data.searchScript.url,
        indexUrl: prefixedPath(site.config, searchIndexUrl),
        shardsPerStep: options.shardsPerStep,
      });
    },
  });
  // The build's index, when it started as soon as the article pages were written (`midad.articlePages`): its failure,
  // if any, is the build's, reported where the index is awaited.
  let started: { output: string; done: Promise<Error | undefined> } | undefined;
  eleventyConfig.on("eleventy.before", () => {
    started = undefined;
  });
  const index = (output: string, articlePages: IndexedPage[], runMode: string) =>
    writeSearchIndex(output, articlePages, {
      folder: searchIndexFolder,
      language: options.language,
      shardSize: options.shardSize,
      cacheDir: path.resolve(options.root, options.cacheDir),
      ...(siblings && { precompress: siblings }),
      background: runMode !== "build",
    });
  // The dev server indexes after its rebuild, in the background, so that rebuild is served first.
  eleventyConfig.on("midad.articlePages", ({ output, articlePages, runMode }: PagesWritten) => {
    if (runMode !== "build") return;
    const done = index(output, articlePages, runMode).then(
      () => undefined,
      (error: Error) => error,
    );
    started = { output, done };
    return done;
  });
  eleventyConfig.on("midad.pages", async ({ output, articlePages, runMode }: PagesWritten) => {
    if (!script) return;
    const { url, content } = await script;
    const target = path.join(output, url);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    if (runMode === "build") {
      if (siblings) await precompressFiles([target], siblings);
      if (started?.output !== output) await index(output, articlePages, runMode);
      else {
        const failure = await started.done;
        if (failure) throw failure;
      }
      return;
    }
    indexing = indexing
      .then(() => index(output, articlePages, runMode))
      .then(
        () => undefined,
        (error: Error) => console.error(`[midad] the search index was not rebuilt: ${error.message}`),
      );
  });
}

/** How the script and the index's files are compressed: as the precompress plugin compresses everything else. */
function precompressOf(options: Options): PrecompressOptions | undefined {
  if (!options.precompress) return undefined;
  return {
    ...precompressDefaults,
    ...options.compression,
    cacheDir: path.resolve(options.root, precompressDefaults.cacheDir),
  };
}
