import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import sharp from "sharp";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { midad } from "../.eleventy.ts";
import { formatProblem } from "../src/articles/problems.ts";
import {
  article,
  buildOutputs,
  loadArticles,
  removeDir,
  repoRoot,
  testImageCache,
  writeArticles,
} from "./helpers/build.ts";

const Scheduled = suite("scheduled articles and warnings");

Scheduled("an article dated after the build time is left out until a build after its date", async () => {
  const files = {
    "2022/01/now.md": article({ date: "2022-01-10T09:00" }),
    "2022/01/later.md": article({ title: '"خبر مجدول"', date: "2022-01-10T13:00" }),
  };
  // 12:00 in Yerevan: the 13:00 article waits.
  const before = await loadArticles(files, { buildTime: new Date("2022-01-10T08:00:00Z") });
  assert.equal(
    before.site?.articles.map((a) => a.url),
    ["/2022/01/now/"],
  );
  assert.equal(
    before.site?.scheduled.map((s) => [s.file, s.date.iso]),
    [["2022/01/later.md", "2022-01-10T13:00+04:00"]],
  );
  const after = await loadArticles(files, { buildTime: new Date("2022-01-10T09:00:00Z") });
  assert.equal(
    after.site?.articles.map((a) => a.url),
    ["/2022/01/later/", "/2022/01/now/"],
  );
  assert.equal(after.site?.scheduled, []);
  // Nor in the feeds, sitemaps or category pages of that build.
  const dir = await writeArticles(files);
  try {
    const outputs = await buildOutputs(dir, { buildTime: new Date("2022-01-10T08:00:00Z") });
    assert.not.ok(outputs.has("/2022/01/later/"));
    for (const [url, content] of outputs) assert.not.match(content, "/2022/01/later/", url);
  } finally {
    await removeDir(dir);
  }
});

Scheduled(
  "a very long title or summary and a photo far wider than any published width are warnings, located, not problems",
  async () => {
    const { site, problems } = await loadArticles({
      "a.md": article({
        title: `"${"عنوان طويل جدا ".repeat(8).trim()}"`,
        summary: `"${"ملخص ".repeat(70).trim()}"`,
        image: "\n  src: ./wide.jpg\n  alt: صورة",
      }),
      "wide.jpg": await sharp({ create: { width: 3300, height: 40, channels: 3, background: "#234" } })
        .jpeg()
        .toBuffer(),
      "b.md": article({ title: '"عنوان قصير"', summary: '"ملخص قصير"' }, "![صورة](./small.jpg)"),
      "small.jpg": await sharp({ create: { width: 3200, height: 40, channels: 3, background: "#432" } })
        .jpeg()
        .toBuffer(),
    });
    assert.equal(problems, []);
    assert.is(site?.articles.length, 2, "both are published");
    assert.equal(
      site?.warnings.map((w) => [w.file, w.line, w.field]),
      [
        ["a.md", 2, "title"],
        ["a.md", 5, "summary"],
        ["a.md", 7, "image.src"],
      ],
    );
    const [title, summary, photo] = site!.warnings.map(formatProblem);
    assert.match(title!, "the title is 119 characters long");
    assert.match(summary!, "the summary is 349 characters long");
    assert.match(photo!, "photo wide.jpg is 3300x40 px, far wider than the site ever shows (the limit is 3200 px)");
  },
);

Scheduled(
  "long lists (scheduled articles, warnings) show their first entries and a count; the whole list is in the file the message names",
  async () => {
    const files: Record<string, string> = {};
    for (let n = 0; n < 25; n++)
      files[`2022/02/later-${n}.md`] = article({
        title: `"خبر مجدول ${n}"`,
        date: `2022-02-${String(n + 1).padStart(2, "0")}T10:00`,
      });
    for (let n = 0; n < 3; n++)
      files[`2022/01/long-${n}.md`] = article({ title: `"${"عنوان طويل جدا ".repeat(9).trim()} ${n}"` });
    const dir = await writeArticles(files);
    const reports: string[] = [];
    try {
      const eleventy = new Eleventy("templates", path.join(dir, "_site"), {
        quietMode: true,
        config: midad({
          articlesDir: dir,
          root: repoRoot,
          reportsDir: path.join(dir, "reports"),
          images: { cacheDir: testImageCache },
          buildTime: () => new Date("2022-01-20T00:00:00Z"),
          report: (text) => reports.push(text),
        }),
      });
      await eleventy.write();
      const scheduled = reports.find((text) =>
        text.startsWith("25 scheduled articles wait for a build after their date:"),
      );
      assert.ok(scheduled, reports.join("\n"));
      const lines = scheduled.split("\n");
      assert.is(lines.length, 1 + 10 + 1, "the heading, ten articles and where the rest are");
      for (const line of lines.slice(1, 11))
        assert.match(line, /^ {2}\S+\/2022\/02\/later-\d+\.md: 2022-02-\d\dT10:00\+04:00$/);
      assert.is(
        lines[11],
        `  … and 15 more, all listed in ${path.relative(repoRoot, path.join(dir, "reports/scheduled.txt"))}`,
      );
      const whole = readFileSync(path.join(dir, "reports/scheduled.txt"), "utf8").trim().split("\n");
      assert.is(whole[0], lines[0]);
      assert.is(
        new Set(whole.slice(1).map((line) => /later-(\d+)\.md/.exec(line)?.[1])).size,
        25,
        "every scheduled article, once",
      );
      assert.equal(whole.slice(1, 11), lines.slice(1, 11), "beginning as the terminal's list does");
      const warnings = reports.find((text) => text.startsWith("3 warnings in articles; published anyway:"));
      assert.ok(warnings, "a short list is shown whole");
      assert.not.match(warnings, "more, all listed in");
      assert.not.ok(existsSync(path.join(dir, "reports/warnings.txt")), "and has no file");
    } finally {
      await removeDir(dir);
    }
  },
);

Scheduled.run();
