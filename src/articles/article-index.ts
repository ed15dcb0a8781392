import pMap from "p-map";
import { type ContentCache, contentKey } from "../publish/content-cache.ts";
import { filesAtOnce } from "../util/limits.ts";
import { type EntryRecord, recordVersion } from "./article-entry.ts";

/** The entries of the last build of one articles folder, and a way to keep this build's. */
export interface ArticleIndex {
  /** By article path. */
  known: ReadonlyMap<string, EntryRecord>;
  /** Keeps this build's entries: only the shards in which an entry was added, changed or removed are written again. */
  save(records: EntryRecord[]): Promise<void>;
}

/** One file of the index as it is kept: its entries, and what they were made with. */
interface Shard {
  version: string;
  /** A hash of the site config and midad's own code: entries made by other code or settings are never used. */
  salt: string;
  records: EntryRecord[];
}

/**
 * What one process keeps of an index between its builds (the dev server's, which rebuilds on every save): the index
 * as its last build saved it, read from the cache only once.
 */
export interface IndexMemory {
  kept?: { base: string; salt: string; shards: EntryRecord[][] };
}

/** Files the index of one folder is split into, by a hash of the article path: an edit rewrites one 256th of it. */
const shardCount = 256;
const shardOf = (articlePath: string) => parseInt(contentKey(articlePath).slice(0, 2), 16);

/**
 * The article index of one articles folder, kept in the cache as 256 files: a build reads a few
 * megabytes instead of a file per article, and an edit writes back one small file rather than the
 * index of the whole archive. Entries made by other code or settings are ignored. With `memory`, an index the same
 * process saved is taken from it: its records are those of the files' bytes, whoever wrote the cache since. Its cache
 * is sealed (see loadSite): a file cut short or changed is a miss, named by the cache, and its articles are read
 * again.
 */
export async function openArticleIndex(
  cache: ContentCache,
  articlesDir: string,
  salt: string,
  memory: IndexMemory = {},
): Promise<ArticleIndex> {
  const base = contentKey(articlesDir);
  const name = (shard: number) => `${base}-${shard.toString(16).padStart(2, "0")}.json`;
  const remembered = memory.kept?.base === base && memory.kept.salt === salt ? memory.kept.shards : undefined;
  const shards =
    remembered ??
    (await pMap(
      Array.from({ length: shardCount }, (_, shard) => shard),
      async (shard) => {
        const bytes = await cache.read(name(shard));
        const stored = bytes && (JSON.parse(bytes.toString("utf8")) as Shard);
        return stored && stored.version === recordVersion && stored.salt === salt ? stored.records : [];
      },
      { concurrency: filesAtOnce },
    ));
  const known = new Map(shards.flat().map((record) => [record.articlePath, record]));
  return {
    known,
    async save(records) {
      const byShard = Array.from({ length: shardCount }, () => [] as EntryRecord[]);
      for (const record of records) byShard[shardOf(record.articlePath)]!.push(record);
      const changed = byShard.flatMap((list, shard) =>
        list.length === shards[shard]!.length && list.every((record) => known.get(record.articlePath) === record)
          ? []
          : [shard],
      );
      await pMap(
        changed,
        (shard) =>
          cache.write(
            name(shard),
            JSON.stringify({ version: recordVersion, salt, records: byShard[shard]! } satisfies Shard),
          ),
        { concurrency: filesAtOnce },
      );
      memory.kept = { base, salt, shards: byShard };
    },
  };
}
