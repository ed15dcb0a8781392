import { existsSync, lstatSync, mkdirSync, readdirSync, rmdirSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { acquireLock, BuildLockedError } from "../build/staging.ts";
import { entryPath, listTree, pathUnder, relativeEntryPath } from "../util/walk.ts";
import { isLinkOf, linkOrCopy } from "./content-cache.ts";
import type { IndexedPage } from "./search-index.ts";

/** The folder of the shards' pages, in the cache, beside the finished shards. */
export const shardPagesFolder = "pages";

/**
 * The folder Pagefind reads a shard's pages from: links of their page-cache entries at their paths in the site. It is
 * kept between runs (`pages/<place>` in the cache, the shard's place, oldest first) and brought to exactly these pages,
 * which after an edit is a link or a few: each page is a folder of its own, and creating a shard's 2,000 folders took
 * 0.5 to 0.75 s. It is held by one process at a time (the build lock's rules); while another holds it, this run links
 * the pages into a folder of its own, removed after.
 */
export async function shardPages(
  cacheDir: string,
  place: number,
  finished: string,
  members: IndexedPage[],
): Promise<{ dir: string; done: () => Promise<void> }> {
  const dir = path.join(cacheDir, shardPagesFolder, String(place));
  mkdirSync(path.dirname(dir), { recursive: true });
  const lock = await acquireLock(dir, []).catch((error: Error) => {
    if (error instanceof BuildLockedError) return undefined;
    throw error;
  });
  // The finished shard's name with `.pages`: were this run killed, the next build's clean-up of the cache removes it.
  const own = lock ? dir : `${finished}.pages`;
  if (!lock) rmSync(own, { recursive: true, force: true });
  try {
    linkExactly(own, members);
  } catch (error) {
    await lock?.release();
    throw error;
  }
  return { dir: own, done: async () => (lock ? lock.release() : rm(own, { recursive: true, force: true })) };
}

/** Makes `dir` hold a link of each page's source at its path and nothing else, linking only what is not there yet. */
function linkExactly(dir: string, members: IndexedPage[]): void {
  const wanted = new Map(members.map((page) => [page.file, page.source]));
  if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) rmSync(dir, { recursive: true, force: true });
  for (const entry of existsSync(dir) ? listTree(dir) : []) {
    if (entry.isDirectory() || (entry.isFile() && wanted.has(relativeEntryPath(dir, entry)))) continue;
    rmSync(entryPath(entry), { force: true });
    // A page gone from the shard leaves its folder empty.
    for (
      let folder = entry.parentPath;
      folder !== dir && readdirSync(folder).length === 0;
      folder = path.dirname(folder)
    )
      rmdirSync(folder);
  }
  const inDir = pathUnder(dir);
  for (const [file, source] of wanted) {
    const target = inDir(file);
    if (isLinkOf(source, target)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    linkOrCopy(source, target);
  }
}
