import { createHash } from "node:crypto";
import { type BigIntStats, readFileSync, statSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { threadId } from "node:worker_threads";
import pMap from "p-map";
import type { DamagedEntry } from "../util/damaged-entry.ts";
import { filesAtOnce } from "../util/limits.ts";

/**
 * What the page writer recorded of each entry of the page cache it wrote: the entry's size, modification time and
 * SHA-256. Published pages are hard links of these entries, so a deploy script that edits a page in `_site` edits the
 * entry; the stamp tells, and the page is rendered again rather than published as edited.
 */
interface Stamp {
  size: number;
  /** Nanoseconds, as a string: JSON has no 64-bit integers. */
  mtimeNs: string;
  digest: string;
}

export type StampCheck = "intact" | "damaged" | "unrecorded";

export interface StampBook {
  /** Records the entry as it is now, written whole: its size, time and digest (a read of it). */
  record(name: string): void;
  /**
   * Whether the entry is what was recorded. The size and time are compared first (one `stat`); an entry whose time
   * alone changed (a CI cache restored by a tool that does not keep times) is read, and kept if its digest is the
   * recorded one. "unrecorded": no entry, or none recorded. `stats`: the entry's, when the caller has them.
   */
  check(name: string, stats?: BigIntStats): StampCheck;
  /** Writes the files of the book that changed. */
  save(): Promise<void>;
}

/** Files the book is split into, by the first two hex digits of an entry's name (names are hashes). */
const shardOf = (name: string) => name.slice(0, 2);

/** The first 128 bits of the SHA-256, in hex: enough to tell bytes changed, in half the book. */
const digestOf = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex").slice(0, 32);

/** The stamp book of the cache folder `cacheDir`, kept in its `.stamps` folder (which its pruning skips). */
export async function openStampBook(cacheDir: string, warn: DamagedEntry): Promise<StampBook> {
  const folder = path.join(cacheDir, ".stamps");
  const file = (shard: string) => path.join(folder, `${shard}.json`);
  const shards = new Map<string, Map<string, Stamp>>();
  const names = Array.from({ length: 256 }, (_, index) => index.toString(16).padStart(2, "0"));
  await pMap(
    names,
    async (shard) => {
      const text = await readFile(file(shard), "utf8").catch(() => undefined);
      if (text === undefined) return;
      try {
        shards.set(shard, new Map(Object.entries(JSON.parse(text) as Record<string, Stamp>)));
      } catch (error) {
        warn(file(shard), `cannot be read (${(error as Error).message}): its pages are rendered again`);
      }
    },
    { concurrency: filesAtOnce },
  );
  const changed = new Set<string>();
  const entry = (name: string) => path.join(cacheDir, name);
  const put = (name: string, stamp: Stamp) => {
    const shard = shardOf(name);
    if (!shards.has(shard)) shards.set(shard, new Map());
    shards.get(shard)!.set(name, stamp);
    changed.add(shard);
  };
  return {
    record(name) {
      const stats = statSync(entry(name), { bigint: true });
      put(name, {
        size: Number(stats.size),
        mtimeNs: String(stats.mtimeNs),
        digest: digestOf(readFileSync(entry(name))),
      });
    },
    check(name, known) {
      const stamp = shards.get(shardOf(name))?.get(name);
      const stats = stamp && (known ?? statSync(entry(name), { bigint: true, throwIfNoEntry: false }));
      if (!stamp || !stats) return "unrecorded";
      if (Number(stats.size) !== stamp.size) return "damaged";
      if (String(stats.mtimeNs) === stamp.mtimeNs) return "intact";
      if (digestOf(readFileSync(entry(name))) !== stamp.digest) return "damaged";
      put(name, { ...stamp, mtimeNs: String(stats.mtimeNs) });
      return "intact";
    },
    async save() {
      if (changed.size === 0) return;
      await mkdir(folder, { recursive: true });
      await pMap(
        [...changed],
        async (shard) => {
          const draft = `${file(shard)}.${process.pid}-${threadId}.tmp`;
          await writeFile(draft, JSON.stringify(Object.fromEntries(shards.get(shard)!)));
          await rename(draft, file(shard));
        },
        { concurrency: filesAtOnce },
      );
      changed.clear();
    },
  };
}
