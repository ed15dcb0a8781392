import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pMap from "p-map";
import { type CompressionSettings, encoders } from "../util/compression.ts";
import { filesAtOnce } from "../util/limits.ts";
import { filesUnder } from "../util/walk.ts";
import { contentKey, createContentCache } from "./content-cache.ts";

export interface PrecompressOptions extends CompressionSettings {
  /** Extensions, with the dot, of the files that get `.br` and `.gz` siblings. */
  extensions: string[];
  /** Folder of compressed files named by a hash of what they compress, kept between builds. */
  cacheDir: string;
  /** Days a cache entry no build has used stays in the cache. */
  cacheDays: number;
  /** Files handled at once (zlib and the file system share libuv's thread pool). */
  concurrency: number;
}

export interface PrecompressResult {
  /** Files that have siblings now. */
  files: number;
  /** Of those, files compressed in this run rather than taken from the cache. */
  compressed: number;
}

/**
 * Gives every file of `dir` with one of the extensions a brotli (`.br`) and a gzip (`.gz`) sibling
 * holding the same bytes compressed, for static hosts that serve them as they are. Brotli at
 * quality 11 takes about 40 ms for a 25 KB page, so each result is kept in a content cache (see
 * src/publish/content-cache.ts): a rebuild compresses only the files that changed. Siblings left from a file
 * that is gone are removed, so a host never serves a page the build no longer has.
 */
export async function precompress(dir: string, options: PrecompressOptions): Promise<PrecompressResult> {
  const paths = new Set(filesUnder(dir).map((file) => path.join(dir, file)));
  const targets = [...paths].filter((file) => options.extensions.includes(path.extname(file).toLowerCase()));
  const targetSet = new Set(targets);
  // Only `name.html.br` and the like: an `archive.tar.gz` the site publishes is no sibling.
  const orphans = [...paths].filter(
    (file) =>
      [".br", ".gz"].includes(path.extname(file)) &&
      options.extensions.includes(path.extname(file.slice(0, -3)).toLowerCase()) &&
      !targetSet.has(file.slice(0, -3)),
  );
  await pMap(orphans, (file) => rm(file, { force: true }), { concurrency: filesAtOnce });
  return precompressFiles(targets, options);
}

/** Gives each of `files` its `.br` and `.gz` siblings, through the content cache, a few files at a time. */
export async function precompressFiles(targets: string[], options: PrecompressOptions): Promise<PrecompressResult> {
  const cache = createContentCache(options.cacheDir);
  const settings = JSON.stringify([options.brotliQuality, options.gzipLevel]);
  let compressed = 0;
  const compressOne = async (file: string): Promise<void> => {
    const bytes = await readFile(file);
    const key = contentKey(settings, bytes);
    let missed = false;
    await Promise.all(
      encoders(options).map(async ({ suffix, encode }) => {
        if (await cache.copyTo(key + suffix, file + suffix)) return;
        missed = true;
        const content = encode(bytes);
        await Promise.all([cache.write(key + suffix, content), writeFile(file + suffix, content)]);
      }),
    );
    if (missed) compressed++;
  };
  await pMap(targets, compressOne, { concurrency: Math.max(1, options.concurrency) });
  await cache.prune(options.cacheDays);
  return { files: targets.length, compressed };
}
