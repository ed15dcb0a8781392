import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { generateCorpus } from "../scripts/corpus.ts";
import { seal, unseal } from "../src/publish/sealed-entry.ts";
import { assertSameTree, removeDir, snapshot } from "./helpers/build.ts";
import { linkProject } from "./helpers/npm-project.ts";

const Integrity = suite<{ work: string; clean: Map<string, string> }>(
  "a damaged cache entry is named and made again: the build publishes what a clean build does",
);

/** `npm run build` in the project, its caches in work/.cache. */
const build = (work: string, output: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts", "--output", output], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, SOURCE_DATE_EPOCH: "1767225600" },
  });

/** Every file of a cache folder, by path. */
const cacheFiles = (work: string, folder: string) =>
  readdirSync(path.join(work, ".cache", folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith("."))
    .map((entry) => path.join(entry.parentPath, entry.name));

Integrity.before(async (context) => {
  context.work = mkdtempSync(path.join(tmpdir(), "midad-integrity-"));
  await linkProject(context.work);
  // Enough for a few files of the article index, and photos for the image records.
  await generateCorpus({ count: 40, out: path.join(context.work, "articles"), images: 0.1 });
  const first = build(context.work, "clean");
  assert.is(first.status, 0, first.stderr);
  context.clean = snapshot(path.join(context.work, "clean"));
});
Integrity.after(async ({ work }) => removeDir(work));

for (const [name, folder, pick, said] of [
  ["a file of the article index", "articles", /\.json$/, /cut short at 7 bytes: made again/],
  ["a photo's record", "images", /facts\/.+\.json$/, /cannot be read \(.+\): made again/],
] as const) {
  Integrity(`${name}, cut short, is named in one warning and made again`, ({ work, clean }) => {
    const damaged = cacheFiles(work, folder).filter((file) => pick.test(file));
    assert.ok(damaged.length > 0, `the cache has ${name}`);
    truncateSync(damaged[0]!, 7);
    const output = `after-${folder}`;
    const run = build(work, output);
    assert.is(run.status, 0, run.stderr);
    const warnings = run.stderr.split("\n").filter((line) => line.startsWith("warning: "));
    assert.equal(
      warnings.filter((line) => line.includes(path.relative(work, damaged[0]!))).length,
      1,
      `one warning names ${damaged[0]}: ${run.stderr}`,
    );
    assert.match(warnings.join("\n"), said);
    assertSameTree(snapshot(path.join(work, output)), clean);
    rmSync(path.join(work, output), { recursive: true });
    const again = build(work, output);
    assert.not.match(again.stderr, "warning: .cache", "made again, it is whole");
  });
}

Integrity(
  "rendered bodies cut short or changed are named and rendered again, when pages are made from them",
  ({ work, clean }) => {
    const bodies = cacheFiles(work, "bodies");
    assert.ok(bodies.length > 10, "the cache has rendered bodies");
    bodies.forEach((file, index) => {
      if (index % 2 === 0) truncateSync(file, 100);
      else {
        // The same length, one byte changed: only the digest can tell.
        const bytes = readFileSync(file);
        bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 1, bytes.length - 2);
        writeFileSync(file, bytes);
      }
    });
    // A CI cache restored without its pages: every page is made from the bodies.
    rmSync(path.join(work, ".cache", "pages"), { recursive: true });
    const run = build(work, "after-bodies");
    assert.is(run.status, 0, run.stderr);
    const named = run.stderr
      .split("\n")
      .filter((line) => line.startsWith("warning: .cache/bodies/"))
      .map((line) => line.split(" ")[1]);
    assert.ok(named.length >= bodies.length / 2, `the damaged bodies are named: ${run.stderr.slice(0, 500)}`);
    assert.is(new Set(named).size, named.length, "each once");
    assert.match(run.stderr, /its bytes are not those written: made again/);
    assert.match(run.stderr, /cut short at \d+ of \d+ bytes: made again/);
    assertSameTree(snapshot(path.join(work, "after-bodies")), clean);
  },
);

Integrity("the minified stylesheet cut short is named and made again, not published cut", ({ work, clean }) => {
  const [css] = cacheFiles(work, "minify").filter((file) => file.endsWith(".css"));
  assert.ok(css, "the cache has the minified stylesheet");
  truncateSync(css, 300);
  const run = build(work, "after-css");
  assert.is(run.status, 0, run.stderr);
  assert.match(
    run.stderr,
    new RegExp(`warning: ${path.relative(work, css)} cut short at \\d+ of \\d+ bytes: made again`),
  );
  assertSameTree(snapshot(path.join(work, "after-css")), clean);
});

Integrity(
  "a published page or search file edited in place, and a feed cut short, are named and made again",
  ({ work, clean }) => {
    const published = path.join(work, "published");
    assert.is(build(work, "published").status, 0);
    const [page] = readdirSync(published, { recursive: true }).filter((file) =>
      /^\d{4}\/\d{2}\/article-\d+\/index\.html$/.test(String(file)),
    );
    const [feed] = readdirSync(path.join(published, "tags"), { recursive: true }).filter((file) =>
      String(file).endsWith("feed.json"),
    );
    assert.ok(page && feed, "the site has article pages and tag feeds");
    // As a deploy script adding a verification tag would: the page in _site is a link of its cache entry.
    appendFileSync(path.join(published, String(page)), '<meta name="verification" content="x">\n');
    truncateSync(path.join(published, "tags", String(feed)), 20);
    // A file of the search index: links of the finished shard's files too.
    const [fragment] = readdirSync(path.join(published, "pagefind"), { recursive: true }).filter((file) =>
      String(file).includes("fragment/"),
    );
    assert.ok(fragment, "the search index has fragments");
    appendFileSync(path.join(published, "pagefind", String(fragment)), "x");
    // And a photo: a JPEG with bytes after its end still decodes, so only its recorded size tells.
    const [photo] = readdirSync(path.join(published, "img")).filter((file) => file.endsWith(".jpeg"));
    assert.ok(photo, "the site has photos");
    appendFileSync(path.join(published, "img", photo), "x");
    for (const round of [1, 2]) {
      const run = build(work, "published");
      assert.is(run.status, 0, run.stderr);
      const warnings = run.stderr.split("\n").filter((line) => line.startsWith("warning: .cache/"));
      if (round === 2) {
        assert.equal(warnings, [], "rendered again, they are whole");
        continue;
      }
      assert.is(warnings.length, 4, run.stderr);
      assert.match(warnings.join("\n"), /warning: \.cache\/images\/.+\.jpeg is not what was encoded: encoded again/);
      assert.match(
        warnings.join("\n"),
        /warning: \.cache\/search\/.+ is not what Pagefind wrote: its shard is built again/,
      );
      assert.match(warnings.join("\n"), `(${page}) is not what was written: rendered again`);
      assert.match(warnings.join("\n"), `(tags/${feed}) is not what was written: rendered again`);
      assertSameTree(snapshot(published), clean);
    }
  },
);

Integrity("a sealed entry carries its digest; one from before seals is a quiet miss", () => {
  const sealed = seal("نص المقال");
  assert.equal(unseal(sealed), Buffer.from("نص المقال"));
  assert.equal(unseal(sealed.subarray(0, 20)), { damage: "cut short at 20 bytes" });
  assert.equal(unseal(sealed.subarray(0, sealed.length - 3)), { damage: "cut short at 14 of 17 bytes" });
  assert.equal(unseal(Buffer.concat([sealed, Buffer.from("x")])), { damage: "its bytes are not those written" });
  assert.equal(unseal(Buffer.from("<p>written before seals</p>")), { damage: "" });
});

Integrity.run();
