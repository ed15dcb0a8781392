import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import sharp from "sharp";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { filesUnder } from "../src/util/walk.ts";
import { article, assertSameTree, removeDir, repoRoot, runScript, snapshot, writeArticles } from "./helpers/build.ts";

interface Context {
  articles: string;
  parent: string;
  output: string;
  /** The output after the last successful build: path → SHA-256 of every file. */
  published: Map<string, string>;
}

/** `npm run build`, as a separate process, with extra environment variables. */
function build(args: string[], env: Record<string, string> = {}) {
  return runScript("build", args, { env });
}

const photo = (colour: string) =>
  sharp({ create: { width: 500, height: 300, channels: 3, background: colour } })
    .jpeg()
    .toBuffer();
const Build = suite<Context>("npm run build: atomic, exact, locked");

Build.before(async (context) => {
  context.articles = await writeArticles({
    "2022/01/kept.md": article({
      title: `"${"عنوان طويل جدا ".repeat(8).trim()}"`,
      image: "\n  src: ./kept.jpg\n  alt: صورة",
    }),
    "2022/01/kept.jpg": await photo("#224466"),
    "2022/01/deleted.md": article({
      title: '"خبر سيحذف"',
      date: "2022-01-09",
      image: "\n  src: ./deleted.jpg\n  alt: صورة",
    }),
    "2022/01/deleted.jpg": await photo("#664422"),
  });
  context.parent = await mkdtemp(path.join(tmpdir(), "midad-build-"));
  context.output = path.join(context.parent, "_site");
});
Build.after(async (context) => {
  await removeDir(context.articles);
  await removeDir(context.parent);
});

Build(
  "a build publishes the site, printing warnings without failing, and leaves no lock or staging folder",
  (context) => {
    const run = build(["--output", context.output, "--articles", context.articles]);
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stdout, /Published \d+ pages to /);
    assert.match(run.stderr, "1 warning in articles; published anyway:");
    assert.match(run.stderr, "kept.md:2 [title]: the title is 119 characters long");
    assert.equal(readdirSync(context.parent), ["_site", "_site.pages.json"]);
    context.published = snapshot(context.output);
    assert.ok(context.published.has(path.join("2022", "01", "deleted", "index.html")));
  },
);

Build("npm run check prints the same warnings and exits 0", (context) => {
  const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/check.ts", "--articles", context.articles], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stderr, "1 warning in articles; published anyway:");
  assert.match(run.stderr, "kept.md:2 [title]: the title is 119 characters long");
  assert.match(run.stdout, "2 articles are valid");
});

Build(
  "a build that fails in its last step, the scan for active content, leaves _site byte for byte as it was",
  (context) => {
    const run = build(["--output", context.output, "--config", "test/fixtures/active-content/eleventy.config.ts"]);
    assert.is(run.status, 1);
    assert.match(run.stderr, /\d+ piece\(s\) of active content in the built pages:/);
    assert.match(run.stderr, /index\.html:\d+: <main onclick="track\(\)">/);
    assert.match(run.stderr, "The build failed: ");
    assertSameTree(snapshot(context.output), context.published);
    assert.equal(
      readdirSync(context.parent),
      ["_site", "_site.pages.json"],
      "the staging folder is removed and the lock released",
    );
  },
);

Build("a build killed halfway (SIGKILL) leaves _site byte for byte as it was", async (context) => {
  const files: Record<string, string> = {};
  for (let n = 0; n < 400; n++) files[`2022/01/bulk-${n}.md`] = article({ title: `"خبر رقم ${n}"` });
  const corpus = await writeArticles(files);
  try {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/build.ts", "--output", context.output, "--articles", corpus],
      { cwd: repoRoot, stdio: "ignore" },
    );
    const exited = once(child, "exit");
    const staging = `${context.output}.staging-${child.pid}`;
    const writing = () =>
      existsSync(staging) && readdirSync(staging, { recursive: true }).some((file) => String(file).endsWith(".html"));
    for (const started = Date.now(); !writing() && child.exitCode === null && Date.now() - started < 60_000; )
      await sleep(5);
    child.kill("SIGKILL");
    await exited;
    assert.is(child.signalCode, "SIGKILL", "killed while writing pages, before it could finish");
    assert.ok(existsSync(staging), "it left a half-written staging folder");
    assert.ok(existsSync(`${context.output}.lock`), "and its lock");
    assertSameTree(snapshot(context.output), context.published);
  } finally {
    await removeDir(corpus);
  }
});

Build(
  "the next build recovers from the killed one, and _site holds exactly the current articles: a deleted article's page, photos and feed entries are gone",
  (context) => {
    const deletedPage = readFileSync(path.join(context.output, "2022/01/deleted/index.html"), "utf8");
    const deletedImages = [...deletedPage.matchAll(/\/img\/[^"\s,]+/g)].map((match) => match[0]);
    assert.ok(deletedImages.length > 3);
    rmSync(path.join(context.articles, "2022/01/deleted.md"));
    rmSync(path.join(context.articles, "2022/01/deleted.jpg"));
    const run = build(["--output", context.output, "--articles", context.articles]);
    assert.is(run.status, 0, run.stderr);
    assert.match(run.stdout, "removed the lock of a build that no longer runs (process ");
    assert.match(run.stdout, /removed \S+_site\.staging-\d+, left by an interrupted build/);
    assert.equal(readdirSync(context.parent), ["_site", "_site.pages.json", "_site.recycle"]);
    const recycled = path.join(context.parent, "_site.recycle");
    const kept = JSON.parse(readFileSync(path.join(recycled, ".midad-kept.json"), "utf8")) as string[];
    const recycledFiles = filesUnder(recycled).filter((file) => !file.startsWith(".midad-kept"));
    const index = recycledFiles.filter((file) => file.startsWith("pagefind/"));
    assert.ok(
      index.some((file) => file.endsWith("/pagefind-entry.json")),
      "and the search index's folder, for the next build to check",
    );
    const files = recycledFiles.filter((file) => !index.includes(file));
    assert.ok(files.length > 0);
    assert.equal(files, [...kept].sort(), "the replaced site's folders are kept with the page links they list");
    assert.ok(
      files.every((file) => statSync(path.join(recycled, file)).nlink > 1),
      "every file kept is a link of the page cache",
    );
    for (const own of ["index.html", "404.html", "feed.xml", "sitemap.xml", "_headers"])
      assert.not.ok(files.includes(own), `${own} is not the page writer's: not kept`);
    context.published = snapshot(context.output);
    assert.ok(existsSync(path.join(context.output, "2022/01/kept/index.html")));
    assert.not.ok(existsSync(path.join(context.output, "2022/01/deleted")));
    for (const image of deletedImages) assert.not.ok(existsSync(path.join(context.output, image)), `${image} is gone`);
    for (const file of [...context.published.keys()].filter((name) => !name.endsWith("/"))) {
      assert.not.match(
        readFileSync(path.join(context.output, file), "latin1"),
        "/2022/01/deleted/",
        `${file} no longer mentions the deleted article`,
      );
    }
  },
);

Build("a second build while one holds the lock stops with a clear message and touches nothing", (context) => {
  const lock = `${context.output}.lock`;
  writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), started: "2022-01-10T08:00:00.000Z" }));
  try {
    const run = build(["--output", context.output, "--articles", context.articles]);
    assert.is(run.status, 1);
    assert.match(
      run.stderr,
      `another build (process ${process.pid} on ${hostname()}, started 2022-01-10T08:00:00.000Z) is building ${context.output}; wait for it to finish`,
    );
    assertSameTree(snapshot(context.output), context.published);
    assert.ok(existsSync(lock), "the running build's lock is left alone");
  } finally {
    rmSync(lock);
  }
});

Build.run();

const Deterministic = suite("two builds of the same articles are byte-identical");

Deterministic("whatever the machine's time zone and locale, given the same SOURCE_DATE_EPOCH", async () => {
  const parent = await mkdtemp(path.join(tmpdir(), "midad-deterministic-"));
  try {
    // 28 January 2022, 16:00 in Yerevan: the news sitemap holds the articles of the 48 hours before, and later ones
    // wait.
    const epoch = String(Date.UTC(2022, 0, 28, 12) / 1000);
    const machines = [
      { TZ: "America/New_York", LANG: "lt_LT.UTF-8", LC_ALL: "lt_LT.UTF-8" },
      { TZ: "Asia/Yerevan", LANG: "ar_EG.UTF-8", LC_ALL: "ar_EG.UTF-8" },
    ];
    const trees = machines.map((machine) => {
      const output = path.join(parent, machine.TZ.replace("/", "-"));
      const run = build(["--output", output], { ...machine, SOURCE_DATE_EPOCH: epoch });
      assert.is(run.status, 0, run.stderr);
      return snapshot(output);
    });
    assert.ok(trees[0]!.size > 40, "the whole sample site, photos included");
    assertSameTree(trees[1]!, trees[0]!);
  } finally {
    await removeDir(parent);
  }
});

Deterministic.run();
