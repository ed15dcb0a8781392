import { type Dirent, readFileSync, renameSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { link, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";
import { entryPath, listTree, pathUnder, walkFiles } from "../util/walk.ts";
import { FixableError } from "./failure.ts";

/**
 * Atomic publishing of a build: the build writes into a staging folder next to the output
 * (`_site.staging-<pid>`, on the same file system, so a rename moves it), and the output is replaced
 * only once everything succeeded. A lock file (`_site.lock`) keeps two builds from publishing at once.
 * The replaced output's folders are kept (`_site.recycle`) for the next staging folder, with the page writer's links to
 * the page cache and the search index's folder, and no other file.
 * A build that dies (SIGKILL, power cut) leaves only a stale lock and staging folder, which the next
 * build removes; the output itself is never half written.
 */

/** Who holds the lock: enough to tell a running build from a dead one, and to tell the user. */
interface Holder {
  pid: number;
  host: string;
  started: string;
}

export class BuildLockedError extends FixableError {
  override name = "BuildLockedError";
}

export interface BuildLock {
  path: string;
  /** Removes the lock, if it is still this build's. */
  release(): Promise<void>;
  /** The same at once, for a build that must exit now (a second Ctrl-C). */
  releaseSync(): void;
}

export const lockPath = (output: string) => `${output}.lock`;
const stagingPrefix = (output: string) => `${path.basename(output)}.staging-`;
const previousPrefix = (output: string) => `${path.basename(output)}.previous-`;

function isRunning(holder: Holder): boolean {
  // A lock from another machine (a shared disk) cannot be checked: it counts as held.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readHolder(file: string): Promise<{ text: string; holder?: Holder } | undefined> {
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return { text, holder: JSON.parse(text) as Holder };
  } catch {
    return { text };
  }
}

/**
 * Takes the output's lock, or throws BuildLockedError naming the build that holds it. A lock left
 * by a build that no longer runs is taken over, with a note saying so. The lock file is created
 * complete, by a hard link, so no build ever reads a half-written one.
 */
export async function acquireLock(output: string, notes: string[]): Promise<BuildLock> {
  const file = lockPath(output);
  const mine: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  const text = JSON.stringify(mine);
  const draft = `${file}.${process.pid}`;
  await mkdir(path.dirname(file), { recursive: true });
  try {
    // Inside the try: a full disk can leave the draft half written.
    await writeFile(draft, text);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(draft, file);
        return {
          path: file,
          release: async () => ((await readHolder(file))?.text === text ? unlink(file) : undefined),
          releaseSync: () => {
            try {
              if (readFileSync(file, "utf8") === text) unlinkSync(file);
            } catch {
              // Gone already: nothing of this build's to remove.
            }
          },
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const current = await readHolder(file);
      if (current?.holder && isRunning(current.holder)) {
        const { pid, host, started } = current.holder;
        throw new BuildLockedError(
          `another build (process ${pid} on ${host}, started ${started}) is building ${output}; wait for it to finish and build again. If no build is running, delete ${file}`,
        );
      }
      if (current) await takeOver(file, current, notes);
    }
    throw new BuildLockedError(`other builds keep taking ${file}; wait for them to finish and build again`);
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Moves a dead build's lock out of the way. Renaming is atomic, so of two builds doing this at
 * once only one moves the stale lock; should a build move a lock that was just taken afresh, it puts it back.
 */
async function takeOver(file: string, stale: { text: string; holder?: Holder }, notes: string[]): Promise<void> {
  const moved = `${file}.stale-${process.pid}`;
  try {
    await rename(file, moved);
  } catch {
    return; // another build moved it first
  }
  const movedText = await readFile(moved, "utf8").catch(() => "");
  if (movedText === stale.text) {
    const who = stale.holder ? `process ${stale.holder.pid}, started ${stale.holder.started}` : "unreadable";
    notes.push(`removed the lock of a build that no longer runs (${who})`);
    await rm(moved, { force: true });
  } else {
    await link(moved, file).catch(() => undefined);
    await rm(moved, { force: true });
  }
}

/**
 * Cleans up after interrupted builds; call it holding the lock. Staging folders are deleted. A
 * build killed between the two renames of `publish` left no output but the previous one, set aside:
 * it is put back.
 */
export async function recoverInterrupted(output: string, notes: string[]): Promise<void> {
  const parent = path.dirname(output);
  // A lock file being written by a build killed before it could link it; a live one belongs to a build waiting for
  // the lock.
  const lockDraft = new RegExp(`^${escapeRegExp(path.basename(lockPath(output)))}\\.(?:stale-)?(\\d+)$`);
  let hasOutput = await exists(output);
  for (const name of (await readdir(parent)).sort()) {
    const full = path.join(parent, name);
    const draftOf = lockDraft.exec(name)?.[1];
    if (name.startsWith(previousPrefix(output)) && !hasOutput) {
      await rename(full, output);
      hasOutput = true;
      notes.push(`put back ${output}, set aside by a build interrupted while publishing`);
    } else if (name.startsWith(stagingPrefix(output)) || name.startsWith(previousPrefix(output))) {
      await rm(full, { recursive: true, force: true });
      notes.push(`removed ${full}, left by an interrupted build`);
    } else if (draftOf !== undefined && !isRunning({ pid: Number(draftOf), host: hostname(), started: "" })) {
      await rm(full, { force: true });
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The folders of the site last replaced, with its page links, which the next build's staging folder starts from. */
export const recycledPath = (output: string) => `${output}.recycle`;
/** The page writer's files in the published output (see `publish`), beside it. */
export const pageListPath = (output: string) => `${output}.pages.json`;
/** In a recycled folder: the files it kept, for the build whose staging folder it becomes. */
const keptList = ".midad-kept.json";
/** In a recycled folder: the folders it kept whole, for the writers that own them. */
const keptFoldersList = ".midad-kept-folders.json";

export interface Staging {
  dir: string;
  /**
   * Files in it, relative with `/` separators, that an earlier build's page writer linked from the page cache: the
   * page writer keeps those still right, replaces the others and removes those it does not write (see writePages).
   */
  kept: string[];
}

/**
 * A staging folder for this build: the output will hold exactly what this build writes. It starts from
 * the folders of the site last replaced when there are some (see `publish`): creating a folder costs about
 * 0.06 ms on these machines and deleting one as much, and every page is a folder of its own, so an archive's
 * build would otherwise spend seconds making and removing the same folders. The page links in it are kept
 * for a page writer to check (`keepPages`), and so are the folders kept whole for the writers that own them (see
 * `publish`); without those writers, both are removed, and the folder holds no file.
 */
export async function createStaging(output: string, { keepPages = true } = {}): Promise<Staging> {
  const staging = path.join(path.dirname(output), `${stagingPrefix(output)}${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  const reused = await rename(recycledPath(output), staging).then(
    () => true,
    () => false,
  );
  if (!reused) {
    await mkdir(staging, { recursive: true });
    return { dir: staging, kept: [] };
  }
  const kept = readList(path.join(staging, keptList));
  const keptFolders = readList(path.join(staging, keptFoldersList));
  for (const list of [keptList, keptFoldersList]) rmSync(path.join(staging, list), { force: true });
  if (keepPages) return { dir: staging, kept };
  for (const file of [...kept, ...keptFolders])
    rmSync(path.join(staging, ...file.split("/")), { recursive: true, force: true });
  return { dir: staging, kept: [] };
}

/** A list of files written by this module; none when it is missing or unreadable (a build killed as it wrote it). */
function readList(file: string): string[] {
  try {
    const list: unknown = JSON.parse(readFileSync(file, "utf8"));
    return Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Removes the staging folder of a build that stops early, while its last writes may still be under
 * way: the folder is first renamed out of their path (a late write recreates at most a few folders,
 * removed after), and keeps the staging prefix, so the next build deletes whatever an exit cut short.
 */
export async function discardStaging(staging: string): Promise<void> {
  const discarded = `${staging}-discarded`;
  const moved = await rename(staging, discarded).then(
    () => true,
    () => false,
  );
  await rm(moved ? discarded : staging, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Replaces the output with the staging folder: the folders no file was written to this time (a
 * deleted article's) are removed, the old output is renamed aside, the staging folder renamed into
 * place, then the old output's files deleted, but for its page links, and its folders kept for the next
 * build. Should the second rename fail, the old output is put back. `pageFiles` are the page writer's
 * files in the staging folder, listed for the build that replaces this one; `tree` is `listTree(staging)`, for a
 * caller that has walked it after its last write. `keptFolders` (relative, `/` separators) are kept whole for the
 * next build, whose writer of each checks what it finds there: the search index's, some 2,100 files a shard.
 */
export async function publish(
  staging: string,
  output: string,
  {
    pageFiles = [],
    tree = listTree(staging),
    keptFolders = [],
  }: { pageFiles?: string[]; tree?: Dirent[]; keptFolders?: string[] } = {},
): Promise<void> {
  removeEmptyFolders(staging, tree);
  const previous = path.join(path.dirname(output), `${previousPrefix(output)}${process.pid}`);
  const hadOutput = await exists(output);
  // A list left by a build killed before it wrote its own names another site's files: the next page writer checks
  // every file it keeps against the page cache, so such a list costs renders, never a stale page.
  const listed = new Set(readList(pageListPath(output)));
  if (hadOutput) await rename(output, previous);
  try {
    await rename(staging, output);
  } catch (error) {
    if (hadOutput) await rename(previous, output);
    throw error;
  }
  const list = pageListPath(output);
  writeFileSync(`${list}.tmp`, JSON.stringify(pageFiles));
  renameSync(`${list}.tmp`, list);
  if (hadOutput) recycleFolders(previous, recycledPath(output), listed, keptFolders);
}

/**
 * Deletes every file of the replaced site but the listed page links and the kept folders' files, one system call
 * each, keeps its folders as `recycled` and lists what it kept. Only then is it renamed: a build killed meanwhile
 * leaves a `previous` folder, which the next build deletes, so a recycled folder holds nothing but what it lists.
 */
function recycleFolders(
  previous: string,
  recycled: string,
  listed: ReadonlySet<string>,
  keptFolders: readonly string[],
): void {
  const kept: string[] = [];
  const inKeptFolder = (relative: string) => keptFolders.some((folder) => relative.startsWith(`${folder}/`));
  const inPrevious = pathUnder(previous);
  walkFiles(previous, (relative) => {
    if (listed.has(relative)) kept.push(relative);
    else if (!inKeptFolder(relative)) unlinkSync(inPrevious(relative));
  });
  writeFileSync(path.join(previous, keptList), JSON.stringify(kept));
  writeFileSync(path.join(previous, keptFoldersList), JSON.stringify(keptFolders));
  rmSync(recycled, { recursive: true, force: true });
  renameSync(previous, recycled);
}

/** Removes, deepest first, every folder under `dir` with no file anywhere below it. */
function removeEmptyFolders(dir: string, entries: Dirent[]): void {
  const holding = new Set<string>();
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    for (let folder = entry.parentPath; folder !== dir && !holding.has(folder); folder = path.dirname(folder))
      holding.add(folder);
  }
  const empty = entries
    .filter((entry) => entry.isDirectory())
    .map(entryPath)
    .filter((folder) => !holding.has(folder));
  for (const folder of empty.sort((a, b) => b.length - a.length)) rmdirSync(folder);
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
