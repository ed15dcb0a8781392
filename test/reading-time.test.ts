import { suite } from "uvu";
import * as assert from "uvu/assert";
import { arabicWordsPerMinute, minutesText, readingMinutes, wordCount } from "../src/site/reading-time.ts";
import { labels } from "../templates/labels.ts";
import { article, buildPages, page, removeDir, writeArticles } from "./helpers/build.ts";

const Reading = suite("reading time: مدة القراءة");

Reading("the number of minutes takes the Arabic form its plural category asks for, in both digit styles", () => {
  const western = [1, 2, 3, 10, 11, 100].map((minutes) => minutesText(minutes, labels.minutes, "latn"));
  assert.equal(western, ["دقيقة", "دقيقتان", "3 دقائق", "10 دقائق", "11 دقيقة", "100 دقيقة"]);
  const eastern = [3, 11, 103].map((minutes) => minutesText(minutes, labels.minutes, "arab"));
  assert.equal(eastern, ["٣ دقائق", "١١ دقيقة", "١٠٣ دقائق"], "103 is in the few category again, as CLDR says");
});

Reading("words are counted in the rendered body, tags and punctuation left out, at 138 words a minute", () => {
  assert.is(wordCount("<p>قال <strong>الخبير</strong> إن «المهمة» — الأولى.</p>\n<ul><li>CSTO 2022</li></ul>"), 7);
  assert.is(arabicWordsPerMinute, 138);
  assert.is(readingMinutes(0), 1, "never less than a minute");
  assert.is(readingMinutes(138 * 2), 2);
  assert.is(readingMinutes(138 * 10 + 60), 10);
  assert.is(readingMinutes(138 * 10 + 70), 11);
});

Reading("an article page shows its reading time in the header", async () => {
  const words = Array.from({ length: 138 * 3 }, (_, index) => (index % 10 === 9 ? "كلمة.\n\n" : "كلمة")).join(" ");
  const dir = await writeArticles({ "a.md": article({}, words), "b.md": article({ title: '"قصير"' }, "نص قصير.") });
  try {
    const pages = await buildPages(dir);
    assert.is(
      page(pages, "/2022/01/a/").querySelector(".article-header .reading-time")?.textContent,
      "مدة القراءة: 3 دقائق",
    );
    assert.is(
      page(pages, "/2022/01/b/").querySelector(".article-header .reading-time")?.textContent,
      "مدة القراءة: دقيقة",
    );
  } finally {
    await removeDir(dir);
  }
});

Reading.run();
