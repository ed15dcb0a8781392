import { mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type EntryRecord, reuseArticle } from "../src/articles/article-entry.ts";
import { type IndexMemory, openArticleIndex } from "../src/articles/article-index.ts";
import { sourceStamp } from "../src/articles/source-stamp.ts";
import { contentKey, createContentCache } from "../src/publish/content-cache.ts";
import { removeDir } from "./helpers/build.ts";

const Index = suite<{ dir: string }>("the article index between builds");

Index.before.each(async (context) => {
  context.dir = await mkdtemp(path.join(tmpdir(), "midad-index-"));
});
Index.after.each(async ({ dir }) => removeDir(dir));

const record = (articlePath: string) => ({ articlePath, sourceHash: `hash of ${articlePath}` }) as EntryRecord;

Index(
  "a build's index is read by the next from the cache, or from the memory of the process that saved it",
  async ({ dir }) => {
    const articles = "/newsroom/articles";
    const memory: IndexMemory = {};
    const first = await openArticleIndex(createContentCache(dir), articles, "salt", memory);
    assert.is(first.known.size, 0);
    const saved = [record("2022/01/a.md"), record("2022/01/b.md")];
    await first.save(saved);

    const fromDisk = await openArticleIndex(createContentCache(dir), articles, "salt");
    assert.equal([...fromDisk.known.values()].map((entry) => entry.articlePath).sort(), [
      "2022/01/a.md",
      "2022/01/b.md",
    ]);

    await removeDir(dir);
    const fromMemory = await openArticleIndex(createContentCache(dir), articles, "salt", memory);
    assert.is(fromMemory.known.get("2022/01/a.md"), saved[0], "the records saved, without reading the cache");
    assert.is(fromMemory.known.size, 2);

    const otherSettings = await openArticleIndex(createContentCache(dir), articles, "another salt", memory);
    assert.is(otherSettings.known.size, 0, "a memory of other code or settings is not used");
    const otherFolder = await openArticleIndex(createContentCache(dir), "/elsewhere/articles", "salt", memory);
    assert.is(otherFolder.known.size, 0, "nor one of another articles folder");
  },
);

Index.run();

const Stamps = suite<{ dir: string }>("article files known by their stamps");

Stamps.before.each(async (context) => {
  context.dir = await mkdtemp(path.join(tmpdir(), "midad-stamps-"));
});
Stamps.after.each(async ({ dir }) => removeDir(dir));

/** A moment well after the files of a test were written, when their times have settled. */
const settled = () => Date.now() + 60_000;

Stamps("a stamp waits until the file's times have settled, and changes with its times and inode", ({ dir }) => {
  const file = path.join(dir, "article.md");
  writeFileSync(file, "---\ntitle: أرمينيا\n---\n");
  assert.is(sourceStamp(file), "", "a file written just now could be written again within the same clock tick");
  const first = sourceStamp(file, settled());
  assert.ok(first !== "");
  assert.is(sourceStamp(file, settled()), first, "the same file, the same stamp");

  const anHourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(file, anHourAgo, anHourAgo);
  assert.ok(![first, ""].includes(sourceStamp(file, settled())), "its modification time changed");

  const before = sourceStamp(file, settled());
  writeFileSync(`${file}.tmp`, "---\ntitle: أرمينيا\n---\n");
  utimesSync(`${file}.tmp`, anHourAgo, anHourAgo);
  renameSync(`${file}.tmp`, file);
  assert.ok(![before, ""].includes(sourceStamp(file, settled())), "the same bytes and times in a new file");

  const inAnHour = new Date(Date.now() + 3_600_000);
  utimesSync(file, inAnHour, inAnHour);
  assert.is(sourceStamp(file, settled()), "", "a file dated in the future is never trusted");
  assert.is(sourceStamp(dir, settled()), "", "nor a folder");
  assert.is(sourceStamp(path.join(dir, "gone.md"), settled()), "", "nor a missing file");
});

Stamps("an article whose stamp holds is not read again; once it changes, its bytes decide", ({ dir }) => {
  const file = path.join(dir, "2022", "01", "article.md");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "---\ntitle: قمة يريفان\n---\nنص المقال\n");
  const later = settled();
  const hashOf = () => contentKey(path.relative(dir, file), file, readFileSync(file));
  const entry = (sourceHash: string, sourceStamp: string) =>
    ({ articlePath: file, sourceHash, sourceStamp, bodyPhotos: [] }) as unknown as EntryRecord;

  const trusted = entry("not the hash of the file's bytes", sourceStamp(file, later));
  assert.is(reuseArticle(file, dir, new Map([[file, trusted]]), later), trusted, "reused unread, on its stamp");

  const restamped = reuseArticle(file, dir, new Map([[file, entry(hashOf(), "an old stamp")]]), later);
  assert.is(restamped?.sourceStamp, sourceStamp(file, later), "the same bytes under new times take the new stamp");
  assert.is(restamped?.sourceHash, hashOf());

  writeFileSync(file, "---\ntitle: قمة يريفان (محدّث)\n---\nنص المقال بعد التعديل\n");
  assert.is(reuseArticle(file, dir, new Map([[file, trusted]]), later), undefined, "edited: read, and parsed again");
  // Just written, so its stamp is empty, as is that of an entry made of it: empty stamps match nothing.
  const unsettled = entry("not the hash of the file's bytes", "");
  assert.is(reuseArticle(file, dir, new Map([[file, unsettled]])), undefined, "an empty stamp is no proof");
  const read = entry(hashOf(), "");
  assert.is(reuseArticle(file, dir, new Map([[file, read]])), read, "read, and its bytes are the entry's");
});

Stamps.run();
