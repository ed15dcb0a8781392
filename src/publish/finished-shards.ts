import { existsSync, lstatSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { DamagedEntry } from "../util/damaged-entry.ts";
import { filesUnder, listTree, pathUnder } from "../util/walk.ts";
import { isLinkOf, linkOrCopy } from "./content-cache.ts";
import type { StampBook } from "./stamp-book.ts";

/**
 * The search index's finished shards, kept in the cache by key and linked into the published index: whether one can
 * be used again, and putting it in its place.
 */

/**
 * Whether the finished shard `key` is there and each of its files is what Pagefind wrote; a shard that is not (a file
 * edited or cut short, or none recorded) is removed, to be built again, and a damaged file is named.
 */
export function shardIntact(cacheDir: string, key: string, stamps: StampBook, warn: DamagedEntry): boolean {
  const folder = path.join(cacheDir, key);
  const files = existsSync(folder) ? filesUnder(folder) : [];
  for (const file of files) {
    const found = stamps.check(`${key}/${file}`);
    if (found === "intact") continue;
    if (found === "damaged") warn(path.join(folder, file), "is not what Pagefind wrote: its shard is built again");
    rmSync(folder, { recursive: true, force: true });
    return false;
  }
  return files.length > 0;
}

/** The files that name the rest of a shard: placed after the files they name, as the dev server serves the folder meanwhile. */
const shardEntries = new Set(["pagefind-entry.json", "pagefind-entry.json.br", "pagefind-entry.json.gz"]);

/**
 * Makes `destination` hold a link of each of a finished shard's files and nothing else, leaving in place each file that
 * is already that link, as the last index's folder holds them: a shard is some 2,100 files, an archive's index ten
 * shards, and an edited article changes some of its shard's files. The entry goes in after the files it names, and
 * what the new shard no longer has goes after it, as the dev server serves the folder while it is put right.
 */
export function placeShard(finished: string, destination: string): void {
  const files = filesUnder(finished);
  const [inFinished, inDestination] = [pathUnder(finished), pathUnder(destination)];
  const found = lstatSync(destination, { throwIfNoEntry: false });
  if (found && !found.isDirectory()) rmSync(destination, { force: true });
  let tree = found?.isDirectory() ? listTree(destination) : [];
  // Anything but files and folders (a link planted in the output) is put right by placing the shard anew.
  if (tree.some((entry) => !entry.isFile() && !entry.isDirectory())) {
    rmSync(destination, { recursive: true });
    tree = [];
  }
  const ordered = [
    ...files.filter((file) => !shardEntries.has(file)),
    ...files.filter((file) => shardEntries.has(file)),
  ];
  for (const file of ordered) {
    const target = inDestination(file);
    if (isLinkOf(inFinished(file), target)) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    linkOrCopy(inFinished(file), target);
  }
  // Of what was there before, what the shard no longer has: the files just linked are all wanted.
  const wanted = new Set(files);
  for (const file of filesUnder(destination, undefined, tree))
    if (!wanted.has(file)) rmSync(inDestination(file), { force: true });
}
