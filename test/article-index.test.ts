import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { EntryRecord } from "../src/articles/article-entry.ts";
import { type IndexMemory, openArticleIndex } from "../src/articles/article-index.ts";
import { createContentCache } from "../src/publish/content-cache.ts";
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
