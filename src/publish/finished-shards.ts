import { type BigIntStats, lstatSync, mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { filesUnder, listTree, pathUnder } from "../util/walk.ts";
import { linkedStats, linkOrCopy } from "./content-cache.ts";

/** The files that name the rest of a shard: placed after the files they name, as the dev server serves the folder meanwhile. */
const shardEntries = new Set(["pagefind-entry.json", "pagefind-entry.json.br", "pagefind-entry.json.gz"]);

/**
 * Makes `destination` hold a link of each of a finished shard's files and nothing else, leaving in place each file that
 * is already that link, as the last index's folder holds them: a shard is some 2,100 files, an archive's index ten
 * shards, and an edited article changes some of its shard's files. The entry goes in after the files it names, and
 * what the new shard no longer has goes after it, as the dev server serves the folder while it is put right. False,
 * with nothing placed, when `intact` finds a file of the finished shard that is not what was written.
 */
export function placeShard(
  finished: string,
  destination: string,
  intact: (file: string, stats: BigIntStats) => boolean,
): boolean {
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
  // Every file is checked before any is placed, with the stat the link check makes: a shard with a file that is not
  // what was written is left for the caller to build again, and the destination keeps its links meanwhile.
  const unlinked: string[] = [];
  for (const file of ordered) {
    const linked = linkedStats(inFinished(file), inDestination(file));
    if (!intact(file, linked ?? statSync(inFinished(file), { bigint: true }))) return false;
    if (!linked) unlinked.push(file);
  }
  for (const file of unlinked) {
    const target = inDestination(file);
    mkdirSync(path.dirname(target), { recursive: true });
    rmSync(target, { recursive: true, force: true });
    linkOrCopy(inFinished(file), target);
  }
  // Of what was there before, what the shard no longer has: the files just linked are all wanted.
  const wanted = new Set(files);
  for (const file of filesUnder(destination, undefined, tree))
    if (!wanted.has(file)) rmSync(inDestination(file), { force: true });
  return true;
}
