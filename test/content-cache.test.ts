import { createHash } from "node:crypto";
import { existsSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { contentKey, createContentCache } from "../src/publish/content-cache.ts";

const Cache = suite<{ dir: string }>("the content cache");

Cache.before.each(async (context) => {
  context.dir = await mkdtemp(path.join(tmpdir(), "midad-content-cache-"));
});
Cache.after.each(async ({ dir }) => rm(dir, { recursive: true, force: true }));

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
const age = (file: string, days: number) => utimesSync(file, daysAgo(days), daysAgo(days));

Cache("an entry is read back; reading it counts as a use and keeps it from pruning", async ({ dir }) => {
  const cache = createContentCache(dir);
  await cache.write("used", "کلمة");
  await cache.write("unused", "old");
  age(path.join(dir, "used"), 10);
  age(path.join(dir, "unused"), 10);
  assert.is((await cache.read("used"))?.toString("utf8"), "کلمة");
  await cache.prune(7);
  assert.ok(existsSync(path.join(dir, "used")));
  assert.not.ok(existsSync(path.join(dir, "unused")));
});

Cache("an entry linked into a site is in use however old; once the site is gone it ages out", async ({ dir }) => {
  const cache = createContentCache(path.join(dir, "cache"));
  await cache.write("page", "<p>نص</p>");
  const published = path.join(dir, "page.html");
  assert.ok(await cache.copyTo("page", published));
  age(path.join(dir, "cache/page"), 10);
  await cache.prune(7);
  assert.ok(existsSync(path.join(dir, "cache/page")), "linked into a published site: kept");
  await rm(published);
  age(path.join(dir, "cache/.pruned"), 1.1);
  await cache.prune(7);
  assert.not.ok(existsSync(path.join(dir, "cache/page")), "no site links it and no build used it for 10 days: pruned");
});

Cache("pruning reads the folder at most once a day", async ({ dir }) => {
  const cache = createContentCache(dir);
  await cache.prune(7);
  await cache.write("stale", "x");
  age(path.join(dir, "stale"), 10);
  await cache.prune(7);
  assert.ok(existsSync(path.join(dir, "stale")), "pruned already today: left for tomorrow's build");
  age(path.join(dir, ".pruned"), 1.1);
  await cache.prune(7);
  assert.not.ok(existsSync(path.join(dir, "stale")), "a day later it goes");
  assert.ok(existsSync(path.join(dir, ".pruned")), "the marker itself is never pruned");
});

Cache(
  "an entry is put in place of an existing file, and rewriting the entry later leaves that file as it was",
  async ({ dir }) => {
    const cache = createContentCache(path.join(dir, "cache"));
    const placed = path.join(dir, "page.html.br");
    writeFileSync(placed, "stale");
    await cache.write("entry", "first");
    assert.ok(await cache.copyTo("entry", placed));
    assert.is(readFileSync(placed, "utf8"), "first");
    await cache.write("entry", "second");
    assert.is(readFileSync(placed, "utf8"), "first", "entries are replaced whole, never changed in place");
    assert.not.ok(await cache.copyTo("missing", path.join(dir, "other.br")));
    assert.not.ok(existsSync(path.join(dir, "other.br")));
  },
);

Cache("a key is the SHA-256 of its parts, each followed by a NUL, whether text or bytes", () => {
  const reference = (...parts: (string | Uint8Array)[]) => {
    const hash = createHash("sha256");
    for (const part of parts) hash.update(part).update("\0");
    return hash.digest("hex");
  };
  const cases: (string | Uint8Array)[][] = [
    [],
    ["مداد"],
    ["settings", Buffer.from("---\ntitle: خبر\n"), "photos", ""],
    [new Uint8Array([0, 1]), "z", Buffer.alloc(0)],
  ];
  for (const parts of cases) assert.is(contentKey(...parts), reference(...parts), JSON.stringify(parts));
  assert.is.not(contentKey("ab"), contentKey("a", "b"));
});

Cache.run();
