import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import { type CompressionSettings, compressionDefaults } from "../util/compression.ts";
import { filesUnder } from "../util/walk.ts";
import { contentKey, linkOrCopy } from "./content-cache.ts";
import { precompressFiles } from "./precompress.ts";

/** A page the index covers: its file in the output folder and the key it was written under (see page-writer.ts). */
export interface IndexedPage {
  file: string;
  key: string;
}

export interface SearchIndexSettings {
  /** The index's folder in the output, like `pagefind` (no slashes), where the search page loads it from. */
  folder: string;
  /** The language every page is indexed as (ISO 639-1): Pagefind stems Arabic with Snowball's stemmer. */
  language: string;
  /** Folder of finished indexes by key, kept between builds. */
  cacheDir: string;
  /** How the index's script and JSON files get their `.br` and `.gz` siblings. */
  compression: CompressionSettings;
  /** Folder the compressed siblings are cached in (the precompress plugin's). */
  compressionCacheDir: string;
}

export interface SearchIndexResult {
  /** Pages in the index. */
  pages: number;
  /** Whether the index was taken whole from the cache (no page changed since it was built). */
  reused: boolean;
}

/**
 * What Pagefind writes that the search page does not load: its own search interfaces (the site has
 * its own, right to left) and the highlighting script.
 */
const unusedFiles = /^pagefind-(?:ui|modular-ui|component-ui|highlight)\./;
/** Pagefind's chunks and WebAssembly are compressed by Pagefind itself; these are not. */
const compressible = new Set([".js", ".json"]);

/**
 * The site's search index, built by Pagefind from the article pages in `output` (every page the
 * templates mark with `data-pagefind-body`), before the build publishes them. An index is a function
 * of exactly those pages, so it is kept in the cache under a hash of their keys: a build whose
 * article pages did not change links the same files again instead of running Pagefind.
 */
export async function writeSearchIndex(
  output: string,
  pages: IndexedPage[],
  settings: SearchIndexSettings,
): Promise<SearchIndexResult> {
  const { cacheDir, compressionCacheDir, ...shaping } = settings;
  const key = contentKey("search", JSON.stringify(shaping), ...pages.flatMap((page) => [page.file, page.key]));
  const finished = path.join(cacheDir, key);
  const reused = existsSync(finished);
  if (!reused) await buildIndex(output, finished, settings);
  const target = path.join(output, settings.folder);
  // The dev server's output keeps the last index: none of its chunks may outlive it.
  await rm(target, { recursive: true, force: true });
  for (const file of filesUnder(finished)) {
    const destination = path.join(target, ...file.split("/"));
    mkdirSync(path.dirname(destination), { recursive: true });
    linkOrCopy(path.join(finished, file), destination);
  }
  // One index is all a build can use: older ones are for pages no longer published.
  for (const name of readdirSync(cacheDir))
    if (name !== key) await rm(path.join(cacheDir, name), { recursive: true, force: true });
  return { pages: pages.length, reused };
}

async function buildIndex(output: string, finished: string, settings: SearchIndexSettings): Promise<void> {
  const pagefind = await import("pagefind");
  const draft = `${finished}.draft`;
  await rm(draft, { recursive: true, force: true });
  try {
    const { index, errors } = await pagefind.createIndex({ forceLanguage: settings.language });
    if (!index) throw new Error(`Pagefind could not start: ${errors.join("; ")}`);
    // Only the pages: the index of an earlier build, if the output folder has one, is not indexed again.
    const added = await index.addDirectory({ path: output, glob: "**/*.html" });
    if (added.errors.length > 0) throw new Error(`Pagefind could not index ${output}: ${added.errors.join("; ")}`);
    const written = await index.writeFiles({ outputPath: draft });
    if (written.errors.length > 0) throw new Error(`Pagefind could not write its index: ${written.errors.join("; ")}`);
  } finally {
    await pagefind.close();
  }
  const files = filesUnder(draft);
  for (const file of files.filter((name) => unusedFiles.test(name))) await rm(path.join(draft, file));
  await precompressFiles(
    files
      .filter((file) => !unusedFiles.test(file) && compressible.has(path.extname(file)))
      .map((file) => path.join(draft, file)),
    {
      ...compressionDefaults,
      ...settings.compression,
      extensions: [...compressible],
      cacheDir: settings.compressionCacheDir,
      cacheDays: 7,
      concurrency: 4,
    },
  );
  mkdirSync(path.dirname(finished), { recursive: true });
  await rename(draft, finished);
}
