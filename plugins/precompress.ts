import path from "node:path";
import { precompressFiles } from "../src/publish/precompress.ts";
import { compressionDefaults } from "../src/util/compression.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { mergeOptions } from "../src/util/options.ts";
import type { EleventyConfig } from "./eleventy.ts";

/**
 * After each build (not the dev server's rebuilds), gives every HTML, CSS, XML, JSON and SVG file
 * Eleventy wrote a `.br` and a `.gz` sibling, for static hosts that serve pre-compressed files (and
 * `npm run serve:dist`). Article and category pages get theirs from the page writer (plugins/pages.ts),
 * with the same settings, so a build never reads its thousands of pages back to compress them.
 */
export interface Options {
  /**
   * Extensions, with the dot, of the files that get siblings. Default `.html`, `.css`, `.xml`, `.json`, `.svg`: text
   * that compresses well.
   */
  extensions: string[];
  /** Brotli quality, 0 to 11. Default 8, measured: see `compressionDefaults` in src/util/compression.ts. */
  brotliQuality: number;
  /** gzip level, 1 to 9. Default 9. */
  gzipLevel: number;
  /**
   * Folder of compressed results by content, relative to the root, so a rebuild compresses only what changed. Default
   * `.cache/precompress`.
   */
  cacheDir: string;
  /**
   * Days a cached result no build has used stays in the cache (the tests and the benchmark share it with the site).
   * Default 7.
   */
  cacheDays: number;
  /** Project root the cache folder is relative to. Default: the working directory. */
  root: string;
  /**
   * Files handled at once. Default 16: a rebuild mostly copies from the cache and waits on the disk, and libuv's
   * thread pool (4 threads) bounds how many compress at once.
   */
  concurrency: number;
}

export const defaults: Options = {
  extensions: [".html", ".css", ".xml", ".json", ".svg"],
  ...compressionDefaults,
  cacheDir: ".cache/precompress",
  cacheDays: 7,
  root: process.cwd(),
  concurrency: 16,
};

export default function precompressPlugin(
  eleventyConfig: EleventyConfig,
  userOptions: DeepPartial<Options> = {},
): void {
  const options = mergeOptions(defaults, userOptions);
  eleventyConfig.on("eleventy.after", async ({ outputMode, runMode, results }) => {
    // The dev server never serves the siblings, and each rebuild would wait for them.
    if (outputMode !== "fs" || runMode !== "build") return;
    const files = results.flatMap(({ outputPath }) =>
      outputPath && options.extensions.includes(path.extname(outputPath).toLowerCase())
        ? [path.resolve(outputPath)]
        : [],
    );
    await precompressFiles(files, { ...options, cacheDir: path.resolve(options.root, options.cacheDir) });
  });
}
