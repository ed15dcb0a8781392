import { type Dirent, readdirSync } from "node:fs";
import path from "node:path";

/** Every file and folder under `dir`, in one call; symbolic links are listed, never followed. */
export function listTree(dir: string): Dirent[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true });
}

/** The path of an entry of `listTree(dir)`, absolute. */
export function entryPath(entry: Dirent): string {
  return path.join(entry.parentPath, entry.name);
}

/** The path of an entry of `listTree(dir)`, relative to `dir`, with `/` separators (as URLs and messages write them). */
export function relativeEntryPath(dir: string, entry: Dirent): string {
  return path.relative(dir, entryPath(entry)).split(path.sep).join("/");
}

/**
 * Every regular file under `dir` whose name `keep` accepts, relative to `dir` with `/` separators (as
 * URLs and messages write them), sorted in code-unit order, the same on every machine. `tree` is `listTree(dir)`, for a
 * caller that walks the folder for more than one purpose.
 */
export function filesUnder(
  dir: string,
  keep: (name: string) => boolean = () => true,
  tree: Dirent[] = listTree(dir),
): string[] {
  return tree
    .filter((entry) => entry.isFile() && keep(entry.name))
    .map((entry) => relativeEntryPath(dir, entry))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
