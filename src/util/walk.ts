import { type Dirent, readdirSync } from "node:fs";
import path from "node:path";

/** Every file and folder under `dir`, in one call; symbolic links are listed, never followed. */
export function listTree(dir: string): Dirent[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true });
}

/**
 * Calls `visit` with every entry under `dir` that is not a folder (symbolic links are not followed), by its path
 * relative to `dir` with `/` separators, listing one folder at a time: a site's whole listing would hold another entry
 * per file in memory (150,000 at 20,000 articles) beside the build's own.
 */
export function walkFiles(dir: string, visit: (relative: string) => void): void {
  const inDir = pathUnder(dir);
  const folders = [""];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    for (const entry of readdirSync(folder ? inDir(folder) : dir, { withFileTypes: true })) {
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) folders.push(relative);
      else visit(relative);
    }
  }
}

/** The path of an entry of `listTree(dir)`, absolute. */
export function entryPath(entry: Dirent): string {
  return path.join(entry.parentPath, entry.name);
}

/**
 * The path of an entry of `listTree(dir)`, relative to `dir`, with `/` separators (as URLs and messages write them).
 * The walk lists top entries under `dir` as given and the others under `path.join(dir, …)`, so the path is mostly a
 * slice of it: `path.relative` would take some 5 µs an entry, about a second of a 100,000-article site's walk.
 */
export function relativeEntryPath(dir: string, entry: Dirent): string {
  const parent = entry.parentPath;
  if (parent === dir) return entry.name;
  const nested =
    parent.startsWith(dir) && parent[dir.length] === path.sep
      ? parent.slice(dir.length + 1)
      : path.relative(dir, parent);
  return `${path.sep === "/" ? nested : nested.split(path.sep).join("/")}/${entry.name}`;
}

/**
 * The path under `dir` of a relative path with `/` separators (as `filesUnder` gives them), by concatenation: a
 * rebuild looks up every kept file, which `path.join` would normalise again, one by one.
 */
export function pathUnder(dir: string): (relative: string) => string {
  const prefix = `${path.resolve(dir)}${path.sep}`;
  return path.sep === "/" ? (relative) => prefix + relative : (relative) => prefix + relative.split("/").join(path.sep);
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
