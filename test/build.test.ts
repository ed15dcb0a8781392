import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHTML } from "linkedom";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { repoRoot } from "./helpers/build.ts";

/** Runs `npm run build` on a folder of articles, into a temporary output folder. */
function build(articles: string) {
  const output = mkdtempSync(path.join(tmpdir(), "midad-site-"));
  rmSync(output, { recursive: true });
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "scripts/build.ts", "--articles", articles, "--output", output],
    {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  return { ...run, output };
}

const jsMarker = "/tmp/midad-js-front-matter-ran";

test("a build with bad articles fails, reports every problem with file and field, and publishes nothing", () => {
  rmSync(jsMarker, { force: true });
  const run = build("test/fixtures/invalid-site/articles");
  try {
    assert.is.not(run.status, 0, "the build must exit non-zero");
    const report = run.stderr + run.stdout;
    const dir = "test/fixtures/invalid-site/articles";
    assert.match(report, "6 problems in articles; nothing was published");
    assert.match(report, `${dir}/bad-date.md:3 [date]: "2022-13-45" is not a real date`);
    assert.match(report, `${dir}/unknown-category.md:4 [categories]: unknown category "رياضة"`);
    assert.match(report, "use one of: top (الأبرز), analysis (تحليلات), politics (سياسة)");
    assert.match(report, `${dir}/js-front-matter.md:1 [front matter]: "---js" front matter is not allowed`);
    assert.match(report, `${dir}/permalink.md:5 [permalink]: "permalink" is not allowed`);
    assert.match(report, `${dir}/missing-title.md:1 [title]: "title" is missing`);
    assert.match(report, `${dir}/bad-timeline.md:10 [timeline]: event date "2022-02-30" is not a real date`);
    assert.not.ok(existsSync(jsMarker), "code in JavaScript front matter must never run");
    assert.not.ok(existsSync(run.output), "nothing is published");
    assert.equal(
      readdirSync(path.dirname(run.output)).filter((name) => name.startsWith(path.basename(run.output))),
      [],
      "no staging folder or lock is left",
    );
  } finally {
    rmSync(run.output, { recursive: true, force: true });
  }
});

test("the sample site builds from the command line, with its photo and a numbered category page", () => {
  const run = build("articles");
  try {
    assert.is(run.status, 0, run.stderr);
    const read = (url: string) => parseHTML(readFileSync(path.join(run.output, url), "utf8")).document;
    const seed = read("2022/01/csto-peacekeepers-kazakhstan-pashinyan/index.html");
    assert.equal(
      [...seed.querySelectorAll(".article-categories a")].map((a) => a.textContent),
      ["الأبرز", "تحليلات", "سياسة"],
    );
    assert.match(seed.querySelector("h1")?.textContent ?? "", "تصرف باشينيان بحكمة شديدة");
    assert.ok(
      seed.querySelectorAll("section.timeline ol > li > time[datetime]").length >= 4,
      "the chronology is a timeline",
    );
    const photo = seed.querySelector(".lead-figure img")?.getAttribute("src") ?? "";
    assert.ok(existsSync(path.join(run.output, photo)), `lead photo ${photo} is published`);
    assert.match(seed.querySelector(".lead-figure figcaption")?.textContent ?? "", "SpaceX");
    assert.ok(existsSync(path.join(run.output, "index.html")));
    assert.ok(existsSync(path.join(run.output, "404.html")));
    assert.is(read("politics/index.html").querySelector("a.show-more")?.getAttribute("href"), "/politics/page/1/");
    assert.is(
      read("politics/page/1/index.html").querySelectorAll(".cards > li").length,
      8,
      "a full page of the oldest",
    );
  } finally {
    rmSync(run.output, { recursive: true, force: true });
  }
});

test("npm run check validates without building: the same problems, exit 1; the sample passes", () => {
  const check = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/check.ts", ...args], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
  const bad = check("--articles", "test/fixtures/invalid-site/articles");
  assert.is(bad.status, 1);
  assert.match(bad.stderr, "6 problems in articles");
  assert.match(bad.stderr, "unknown-category.md:4 [categories]");
  const good = check();
  assert.is(good.status, 0, good.stderr);
  assert.match(good.stdout, /\d+ articles are valid/);
});

test("npm run new writes a valid draft with a Latin slug from an Arabic title", () => {
  const articles = mkdtempSync(path.join(tmpdir(), "midad-new-"));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "scripts/new.ts", "--articles", articles, ...args], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000,
    });
  try {
    const made = run(
      "--title",
      "قوات حفظ\u200f السلام تغادر كازاخستان",
      "--category",
      "سياسة",
      "--story",
      "csto-presidency",
    );
    assert.is(made.status, 0, made.stderr);
    const file = path.resolve(repoRoot, made.stdout.trim());
    assert.match(path.basename(file), /^[a-z0-9]+(?:-[a-z0-9]+)*\.md$/);
    assert.match(file, /\/\d{4}\/\d{2}\/[^/]+\.md$/);
    const text = readFileSync(file, "utf8");
    assert.match(text, "categories:\n  - سياسة");
    assert.match(text, "story: csto-presidency");
    const again = run("--title", "قوات حفظ\u200f السلام تغادر كازاخستان", "--category", "politics");
    assert.is.not(
      path.resolve(repoRoot, again.stdout.trim()),
      file,
      "a second article with the same title gets its own file",
    );
    const check = spawnSync(process.execPath, ["--import", "tsx", "scripts/check.ts", "--articles", articles], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    assert.is(check.status, 0, check.stderr);
    const bad = run("--title", "عنوان", "--category", "رياضة");
    assert.is(bad.status, 1);
    assert.match(bad.stderr, "use one of: top (الأبرز), analysis (تحليلات), politics (سياسة)");
  } finally {
    rmSync(articles, { recursive: true, force: true });
  }
});

test.run();
