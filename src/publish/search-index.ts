import { spawn } from "node:child_process";
import { once } from "node:events";
import { type BigIntStats, existsSync, mkdirSync, readdirSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { constants, setPriority } from "node:os";
import path from "node:path";
import { collectGarbage } from "../util/collect-garbage.ts";
import { encoders } from "../util/compression.ts";
import { type DamagedEntry, warnDamagedEntry } from "../util/damaged-entry.ts";
import { filesUnder } from "../util/walk.ts";
import { contentKey } from "./content-cache.ts";
import { placeShard } from "./finished-shards.ts";
import { type PrecompressOptions, precompressFiles } from "./precompress.ts";
import { shardPages, shardPagesFolder } from "./shard-pages.ts";
import { openStampBook } from "./stamp-book.ts";

/**
 * A page the index covers: its file in the output folder, where its bytes are read from, a hash of what the index
 * takes from it (see page-writer.ts), its year.
 */
export interface IndexedPage {
  file: string;
  /** The page's bytes: its entry in the page cache, as the page in the output folder is a link of it. */
  source: string;
  key: string;
  year: number;
}

export interface SearchIndexSettings {
  /** The index's folder in the output, like `pagefind` (no slashes), where the search page loads it from. */
  folder: string;
  /** The language every page is indexed as (ISO 639-1): Pagefind stems Arabic with Snowball's stemmer. */
  language: string;
  /**
   * Articles in one Pagefind index at most. Pagefind holds about 250 KiB per article while it indexes (measured on
   * generated articles), so 2,000 articles take about 500 MiB, whatever the archive's size.
   */
  shardSize: number;
  /** Folder of finished shards by key, kept between builds. */
  cacheDir: string;
  /** How the index's script and JSON files get their `.br` and `.gz` siblings, if they get any. */
  precompress?: PrecompressOptions;
  /** Pagefind runs at the lowest CPU priority, as the dev server indexes behind its rebuilds, which come first. */
  background: boolean;
  /** Told of a finished shard's file that is not what Pagefind wrote; the shard is built again. Default `warnDamagedEntry`. */
  warn?: DamagedEntry;
}

/** One shard as `shards.json` lists it, newest first, for the search page's script. */
export interface ShardEntry {
  /** The shard's folder, relative to the index's folder, with a trailing slash. */
  path: string;
  /** The years of its oldest and newest articles. */
  from: number;
  to: number;
  pages: number;
}

export interface SearchIndexResult {
  /** Pages in the index. */
  pages: number;
  shards: number;
  /** Of those, the shards Pagefind built in this run rather than taken from the cache. */
  built: number;
}

/** The list of shards in the index's folder, newest first. */
export const shardList = "shards.json";
/**
 * What Pagefind writes that the search page does not load: its own search interfaces (the site has
 * its own, right to left), the highlighting script, and the Web Worker (the page searches in its own thread).
 */
const unusedFiles = /^pagefind-(?:ui|modular-ui|component-ui|highlight|worker)\./;
/** Pagefind's chunks and WebAssembly are compressed by Pagefind itself; these are not. */
const compressible = new Set([".js", ".json"]);

/**
 * The site's search index in `output`, built by Pagefind from the article pages before the build
 * publishes them. It is split into shards of consecutive articles, oldest first, each a Pagefind
 * index of its own that the search page merges: Pagefind holds a whole index in memory while it
 * builds it, so a shard bounds the memory, and a new article changes the newest shard only. A shard
 * is a function of exactly its pages, so it is kept in the cache under a hash of their keys and
 * linked again while none of them changes; where the last index's folder already holds its links (the dev server's
 * output, or a staging folder made of the replaced site), they stay.
 */
export async function writeSearchIndex(
  output: string,
  pages: IndexedPage[],
  settings: SearchIndexSettings,
): Promise<SearchIndexResult> {
  const { cacheDir, precompress, background, warn = warnDamagedEntry, ...shaping } = settings;
  // What shapes a shard's files: not where the caches are, nor when Pagefind runs.
  const shape = JSON.stringify({
    ...shaping,
    siblings: precompress ? [precompress.brotliQuality, precompress.gzipLevel] : false,
  });
  const oldestFirst = [...pages].reverse();
  const shards: { key: string; members: IndexedPage[] }[] = [];
  for (let start = 0; start < oldestFirst.length; start += settings.shardSize) {
    const members = oldestFirst.slice(start, start + settings.shardSize);
    const key = contentKey("search", shape, ...members.flatMap((page) => [page.file, page.key]));
    shards.push({ key, members });
  }
  let built = 0;
  // A finished shard's files are links in the published index: one edited there is edited here, and is caught by the
  // stamps recorded when Pagefind wrote them (see stamp-book.ts), checked as the shard is placed.
  const stamps = await openStampBook(cacheDir, warn);
  // One Pagefind process at a time, so the memory is that of one shard, beside a heap cleared of the build's garbage.
  const build = async (place: number, key: string) => {
    collectGarbage();
    await buildShard(shards[place]!.members, place, path.join(cacheDir, key), settings);
    for (const file of filesUnder(path.join(cacheDir, key))) stamps.record(`${key}/${file}`);
    built++;
  };
  for (const [place, shard] of shards.entries())
    if (!existsSync(path.join(cacheDir, shard.key))) await build(place, shard.key);
  // A shard's folder is named by its place, oldest first, as its articles are: a new article changes the newest shard,
  // and of its files only those Pagefind names anew (its chunks are named by their content), so a deploy uploads those.
  const target = path.join(output, settings.folder);
  mkdirSync(target, { recursive: true });
  const placed = [];
  for (const [place, shard] of shards.entries()) {
    const [finished, folder] = [path.join(cacheDir, shard.key), shardFolder(place)];
    const intact = (file: string, stats: BigIntStats) => {
      const found = stamps.check(`${shard.key}/${file}`, stats);
      if (found === "damaged") warn(path.join(finished, file), "is not what Pagefind wrote: its shard is built again");
      return found === "intact";
    };
    if (!placeShard(finished, path.join(target, folder), intact)) {
      await rm(finished, { recursive: true, force: true });
      await build(place, shard.key);
      if (!placeShard(finished, path.join(target, folder), intact))
        throw new Error(`the search index's shard ${finished} changed while it was being placed`);
    }
    placed.push({ folder, members: shard.members });
  }
  await stamps.save();
  const list: ShardEntry[] = placed.reverse().map(({ folder, members }) => ({
    path: `${folder}/`,
    from: members[0]!.year,
    to: members.at(-1)!.year,
    pages: members.length,
  }));
  const listFile = path.join(target, shardList);
  await writeFile(`${listFile}.tmp`, JSON.stringify(list));
  await rename(`${listFile}.tmp`, listFile);
  if (precompress) await precompressFiles([listFile], precompress);
  // Then whatever else the folder holds goes: the last index's shards, and anything not of this index.
  const listFiles = [shardList, ...(precompress ? encoders(precompress) : []).map(({ suffix }) => shardList + suffix)];
  const current = new Set([...listFiles, ...placed.map(({ folder }) => folder)]);
  for (const name of readdirSync(target))
    if (!current.has(name)) await rm(path.join(target, name), { recursive: true, force: true });
  // The shards a build uses are all it can use: others are of pages no longer published.
  const used = new Set([shardPagesFolder, ...shards.map((shard) => shard.key)]);
  if (existsSync(cacheDir))
    for (const name of readdirSync(cacheDir))
      if (!used.has(name) && !name.startsWith("."))
        await rm(path.join(cacheDir, name), { recursive: true, force: true });
  return { pages: pages.length, shards: shards.length, built };
}

async function buildShard(
  members: IndexedPage[],
  place: number,
  finished: string,
  settings: SearchIndexSettings,
): Promise<void> {
  const draft = `${finished}.draft`;
  await rm(draft, { recursive: true, force: true });
  const pages = await shardPages(settings.cacheDir, place, finished, members);
  try {
    await runPagefind(
      ["--site", pages.dir, "--output-path", draft, "--force-language", settings.language, "--silent"],
      settings.background,
    );
  } finally {
    await pages.done();
  }
  const files = filesUnder(draft);
  for (const file of files.filter((name) => unusedFiles.test(name))) await rm(path.join(draft, file));
  if (settings.precompress)
    await precompressFiles(
      files
        .filter((file) => !unusedFiles.test(file) && compressible.has(path.extname(file)))
        .map((file) => path.join(draft, file)),
      settings.precompress,
    );
  mkdirSync(path.dirname(finished), { recursive: true });
  await rename(draft, finished);
}

/** The folder of the shard at `place` (0 for the oldest) in the index's folder. */
function shardFolder(place: number): string {
  return `shard-${place + 1}`;
}

/**
 * Pagefind's command line, on a folder: it reads and parses the pages on both cores, and writes its index faster.
 * Measured on 2,000 article pages, 4.4 s and 460 MiB; its Node API took 8.1 s and 530 MiB given the pages one by
 * one, and 5.9 s and 500 MiB given the folder. Every page's URL is its path in the site, without `index.html`.
 */
async function runPagefind(args: string[], background: boolean): Promise<void> {
  // The binary the package's own `pagefind` command runs, found as that command finds it, without its Node process.
  const { resolveBinaryPath } = (await import(new URL("resolveBinary.js", import.meta.resolve("pagefind")).href)) as {
    resolveBinaryPath: (names: string[]) => string;
  };
  const child = spawn(resolveBinaryPath(["pagefind_extended", "pagefind"]), args, {
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (background && child.pid !== undefined) setPriority(child.pid, constants.priority.PRIORITY_LOW);
  // Silent, it says only what went wrong, on either stream.
  let said = "";
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding("utf8").on("data", (text: string) => (said += text));
  const [code] = (await once(child, "close")) as [number | null];
  if (code !== 0) throw new Error(`Pagefind could not build the search index: ${said.trim() || `exit code ${code}`}`);
}
