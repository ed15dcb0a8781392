import sharp from "sharp";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { resolveSiteConfig } from "../src/config.ts";
import { createImagePipeline, defaultImageOptions } from "../src/images.ts";
import { ArticleProblemsError, formatProblem, type Problem } from "../src/problems.ts";
import { loadSite, type Site } from "../src/site.ts";
import { article, buildOutputs, removeDir, testImageCache, writeArticles } from "./helpers/build.ts";

const config = resolveSiteConfig();

/** Loads a folder of articles as the build does; `buildTime` leaves out later articles. */
async function load(files: Record<string, string | Buffer>, buildTime?: Date): Promise<{ site?: Site; problems: Problem[] }> {
  const dir = await writeArticles(files);
  try {
    return { site: await loadSite({ root: dir, articlesDir: dir, config, includeDrafts: false, images: createImagePipeline({ ...defaultImageOptions, cacheDir: testImageCache }), ...(buildTime && { buildTime }) }), problems: [] };
  } catch (error) {
    if (error instanceof ArticleProblemsError) return { problems: [...error.problems] };
    throw error;
  } finally {
    await removeDir(dir);
  }
}

const Scheduled = suite("scheduled articles and warnings");

Scheduled("an article dated after the build time is left out until a build after its date", async () => {
  const files = { "2022/01/now.md": article({ date: "2022-01-10T09:00" }), "2022/01/later.md": article({ title: "\"خبر مجدول\"", date: "2022-01-10T13:00" }) };
  // 12:00 in Yerevan: the 13:00 article waits.
  const before = await load(files, new Date("2022-01-10T08:00:00Z"));
  assert.equal(before.site?.articles.map((a) => a.url), ["/2022/01/now/"]);
  assert.equal(before.site?.scheduled.map((s) => [s.file, s.date.iso]), [["2022/01/later.md", "2022-01-10T13:00+04:00"]]);
  const after = await load(files, new Date("2022-01-10T09:00:00Z"));
  assert.equal(after.site?.articles.map((a) => a.url), ["/2022/01/later/", "/2022/01/now/"]);
  assert.equal(after.site?.scheduled, []);
  // Nor in the feeds, sitemaps or category pages of that build.
  const dir = await writeArticles(files);
  try {
    const outputs = await buildOutputs(dir, {}, false, new Date("2022-01-10T08:00:00Z"));
    assert.not.ok(outputs.has("/2022/01/later/"));
    for (const [url, content] of outputs) assert.not.match(content, "/2022/01/later/", url);
  } finally {
    await removeDir(dir);
  }
});

Scheduled("a very long title or summary and a photo far wider than any published width are warnings, located, not problems", async () => {
  const { site, problems } = await load({
    "a.md": article({ title: `"${"عنوان طويل جدا ".repeat(8).trim()}"`, summary: `"${"ملخص ".repeat(70).trim()}"`, image: "\n  src: ./wide.jpg\n  alt: صورة" }),
    "wide.jpg": await sharp({ create: { width: 3300, height: 40, channels: 3, background: "#234" } }).jpeg().toBuffer(),
    "b.md": article({ title: "\"عنوان قصير\"", summary: "\"ملخص قصير\"" }, "![صورة](./small.jpg)"),
    "small.jpg": await sharp({ create: { width: 3200, height: 40, channels: 3, background: "#432" } }).jpeg().toBuffer(),
  });
  assert.equal(problems, []);
  assert.is(site?.articles.length, 2, "both are published");
  assert.equal(site?.warnings.map((w) => [w.file, w.line, w.field]), [["a.md", 2, "title"], ["a.md", 5, "summary"], ["a.md", 7, "image.src"]]);
  const [title, summary, photo] = site!.warnings.map(formatProblem);
  assert.match(title!, "the title is 119 characters long");
  assert.match(summary!, "the summary is 349 characters long");
  assert.match(photo!, "photo wide.jpg is 3300x40 px, far wider than the site ever shows (the limit is 3200 px)");
});

Scheduled.run();
