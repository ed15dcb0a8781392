import path from "node:path";
import { type ContentCache, contentKey, createContentCache } from "../src/publish/content-cache.ts";
import { htmlMinifyPreset, minifyHtml } from "../src/publish/minify.ts";
import { warnDamagedEntry } from "../src/util/damaged-entry.ts";
import type { DeepPartial } from "../src/util/options.ts";
import { mergeOptions } from "../src/util/options.ts";
import type { EleventyConfig } from "./eleventy.ts";

/**
 * Minifies every HTML page with htmlnano (`htmlMinifyPreset` in src/publish/minify.ts). Transforms run in
 * the order they are added, after Eleventy's own HTML transformer (the path prefix), so it sees the
 * final URLs; the inline stylesheet is minified before it is inlined (plugins/pages.ts) and left
 * alone here. A page takes about 3 ms, so results are kept by content: a rebuild minifies only the
 * pages that changed.
 */
export interface Options {
  /**
   * Classes whose elements keep every space and line break as written, because the stylesheet sets `white-space:
   * pre-wrap` on them (or inside them). Default `["poem"]`, the `::: poem` block.
   */
  keepWhitespace: string[];
  /** Folder of minified pages by content, relative to the root. Default `.cache/minify`. */
  cacheDir: string;
  /**
   * Days a cached page no build has used stays in the cache (the tests and the benchmark share it with the site).
   * Default 7.
   */
  cacheDays: number;
  /** Project root the cache folder is relative to. Default: the working directory. */
  root: string;
}

export const defaults: Options = {
  keepWhitespace: ["poem"],
  cacheDir: ".cache/minify",
  cacheDays: 7,
  root: process.cwd(),
};

/**
 * The minify cache: sealed (src/publish/sealed-entry.ts), as pages and the stylesheet are published from it. Every
 * reader and writer of the folder opens it so (the pages plugin keeps the minified stylesheet there too).
 */
export function openMinifyCache(dir: string): ContentCache {
  return createContentCache(dir, { sealed: warnDamagedEntry });
}

export default function minifyPlugin(eleventyConfig: EleventyConfig, userOptions: DeepPartial<Options> = {}): void {
  const options = mergeOptions(defaults, userOptions);
  const cache = openMinifyCache(path.resolve(options.root, options.cacheDir));
  const settings = JSON.stringify([htmlMinifyPreset, options.keepWhitespace]);
  eleventyConfig.addTransform("midad/minify-html", async function minify(content) {
    if (!String(this.outputPath).endsWith(".html")) return content;
    const key = `${contentKey(settings, content)}.html`;
    const cached = await cache.read(key);
    if (cached) return cached.toString("utf8");
    const minified = await minifyHtml(content, options);
    await cache.write(key, minified);
    return minified;
  });
  eleventyConfig.on("eleventy.after", () => cache.prune(options.cacheDays));
}
