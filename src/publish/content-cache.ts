import { createHash } from "node:crypto";
import {
  type BigIntStats,
  copyFileSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { threadId } from "node:worker_threads";
import pMap from "p-map";
import type { DamagedEntry } from "../util/damaged-entry.ts";
import { filesAtOnce } from "../util/limits.ts";
import { seal, unseal } from "./sealed-entry.ts";

/**
 * A hex SHA-256 of the parts (settings, then content), each followed by a NUL, as the name of a cache entry. Text
 * parts are hashed as one string, the same bytes in one call: a listing's key has dozens of parts, and a build
 * computes a key for every page.
 */
export function contentKey(...parts: (string | Uint8Array)[]): string {
  const hash = createHash("sha256");
  let text = "";
  for (const part of parts) {
    if (typeof part === "string") {
      text += `${part}\0`;
      continue;
    }
    hash.update(text).update(part).update("\0");
    text = "";
  }
  return hash.update(text).digest("hex");
}

/** Touched by each prune: its date says when the cache was last pruned. */
const prunedMarker = ".pruned";

export interface ContentCache {
  /** The entry, or undefined when there is none (or it cannot be read: only a miss). */
  read(name: string): Promise<Buffer | undefined>;
  /** `read` in the calling thread, for worker threads (see `writeSync`). */
  readSync(name: string): Buffer | undefined;
  /**
   * Puts the entry at `file` (replacing what is there) without reading it: a hard link, which writes
   * no data, or a copy across file systems. Entries are never changed in place, so a link stays
   * right. False when there is no entry.
   */
  copyTo(name: string, file: string): Promise<boolean>;
  /**
   * The entry's `stat`, when `file` is a link of it (the same file, so the same bytes), which `copyTo` would put there
   * again; undefined when it is not.
   */
  linkedAt(name: string, file: string): BigIntStats | undefined;
  /** The entry's file, whether or not there is one: for a reader that links it elsewhere itself. */
  fileOf(name: string): string;
  write(name: string, content: string | Uint8Array): Promise<void>;
  /** `write` in the calling thread: for worker threads, which would otherwise wait on libuv's few threads. */
  writeSync(name: string, content: string | Uint8Array): void;
  /**
   * Removes the entries no one has used for `days` days; at most once a day, as it reads every
   * entry's date. An entry linked into a site (more than one link) is in use, however old.
   */
  prune(days: number): Promise<void>;
}

export interface ContentCacheOptions {
  /**
   * Seal every entry with the digest of its bytes, checked on each read (src/publish/sealed-entry.ts): an entry that is
   * not what was written is named to this, removed and read as missing, so it is made again. Only for entries read
   * through the cache: a sealed entry is not its content, so it is never linked or copied out. Default: not sealed.
   */
  sealed?: DamagedEntry;
}

/**
 * Results of slow, deterministic work (brotli at quality 11, minifying a page) kept on disk between
 * builds under a hash of their input and settings. Using an entry touches it and `prune` removes
 * those unused for some days, so the folder holds what recent builds used, whichever sites (the
 * newsroom's, the tests', the benchmark's) share it. Entries are written whole or not at all.
 */
export function createContentCache(dir: string, options: ContentCacheOptions = {}): ContentCache {
  let ready: Promise<unknown> | undefined;
  let madeSync = false;
  // Joined once: a build looks up a few entries for every page of the site.
  const folder = `${path.join(dir, ".")}${path.sep}`;
  const entry = (name: string) => folder + name;
  // Written whole under a name of this process and thread, then renamed into place.
  const temporary = (name: string) => `${entry(name)}.${process.pid}-${threadId}.tmp`;
  const touch = (name: string) => {
    const now = new Date();
    return utimes(entry(name), now, now).catch(() => undefined);
  };
  const touchSync = (name: string) => {
    try {
      utimesSync(entry(name), new Date(), new Date());
    } catch {
      // Gone since it was read: the next build misses it, as it would.
    }
  };
  const { sealed } = options;
  // The content of what was read: a sealed entry's, when it is intact; a damaged one is named and removed.
  const opened = (name: string, bytes: Buffer): Buffer | undefined => {
    if (!sealed) return bytes;
    const content = unseal(bytes);
    if (Buffer.isBuffer(content)) return content;
    if (content.damage) sealed(entry(name), `${content.damage}: made again`);
    rmSync(entry(name), { force: true });
    return undefined;
  };
  const stored = (content: string | Uint8Array) => (sealed ? seal(content) : content);
  return {
    async read(name) {
      const bytes = await readFile(entry(name)).catch(() => undefined);
      const content = bytes && opened(name, bytes);
      if (content) await touch(name);
      return content;
    },
    readSync(name) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(entry(name));
      } catch {
        return undefined;
      }
      const content = opened(name, bytes);
      if (content) touchSync(name);
      return content;
    },
    async copyTo(name, file) {
      if (sealed) throw new Error(`a sealed cache entry is not its content and cannot be copied out: ${entry(name)}`);
      let how: "linked" | "copied" | undefined;
      try {
        how = linkOrCopy(entry(name), file);
      } catch {
        how = undefined;
      }
      // A link marks the entry as used by itself (see prune): touching it would cost a system call per file of a site.
      if (how === "copied") await touch(name);
      return how !== undefined;
    },
    linkedAt(name, file) {
      return linkedStats(entry(name), file);
    },
    fileOf: entry,
    async write(name, content) {
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      await writeFile(temporary(name), stored(content));
      await rename(temporary(name), entry(name));
    },
    writeSync(name, content) {
      if (!madeSync) mkdirSync(dir, { recursive: true });
      madeSync = true;
      writeFileSync(temporary(name), stored(content));
      renameSync(temporary(name), entry(name));
    },
    async prune(days) {
      const marker = entry(prunedMarker);
      const lastPruned = await stat(marker).then(
        (info) => info.mtimeMs,
        () => 0,
      );
      if (Date.now() - lastPruned < 86_400_000) return;
      const cutoff = Date.now() - days * 86_400_000;
      // The marker, and what the cache's users keep beside the entries (the page writer's `.stamps`).
      const names = (await readdir(dir).catch(() => [])).filter((name) => !name.startsWith("."));
      ready ??= mkdir(dir, { recursive: true });
      await ready;
      await writeFile(marker, "");
      await pMap(
        names,
        async (name) => {
          const info = await stat(entry(name)).catch(() => undefined);
          if (info && info.mtimeMs < cutoff && info.nlink === 1) await rm(entry(name), { force: true });
        },
        { concurrency: filesAtOnce },
      );
    },
  };
}

/** Whether `file` is a link of `source`: the same file, so the same bytes. A symbolic link is not. */
export function isLinkOf(source: string, file: string): boolean {
  return linkedStats(source, file) !== undefined;
}

/** `source`'s `stat` when `file` is a link of it, else undefined. */
export function linkedStats(source: string, file: string): BigIntStats | undefined {
  const linked = lstatSync(file, { bigint: true, throwIfNoEntry: false });
  if (!linked) return undefined;
  const original = statSync(source, { bigint: true, throwIfNoEntry: false });
  return original !== undefined && original.ino === linked.ino && original.dev === linked.dev ? original : undefined;
}

/**
 * Puts `source` at `file`, replacing what is there, as a hard link: no data is written, however large
 * the file. Across file systems (or on one without hard links), a copy. Only for sources that are
 * replaced whole, never changed in place, so the link never changes under a published file.
 * Synchronous: a link is one system call, which costs a fraction of the thread-pool round trip an
 * asynchronous one takes, and a site makes tens of thousands of them.
 */
export function linkOrCopy(source: string, file: string): "linked" | "copied" {
  try {
    linkSync(source, file);
    return "linked";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") {
      unlinkSync(file);
      return linkOrCopy(source, file);
    }
    if (code === "ENOENT") throw error;
    // Another file system (EXDEV), or one without hard links.
    copyFileSync(source, file);
    return "copied";
  }
}
