import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatProblem } from "../src/articles/problems.ts";
import { article, buildOutputs, jsonLd, loadArticles, pagesOf, removeDir, writeArticles } from "./helpers/build.ts";

/** An article dated 2022-01-08T14:30 whose front matter ends with `corrections` written as `lines`. */
const corrected = (lines: string[]) => article({ corrections: `\n${lines.join("\n")}` });

const Corrections = suite("corrections: تصحيح");

Corrections(
  "a list of { date, text } is validated: each problem names the correction, its line and the fix",
  async () => {
    const { problems } = await loadArticles({
      "2022/not-a-list.md": article({ corrections: '"تم تصحيح الاسم"' }),
      "2022/items.md": corrected([
        "  - date: 2022-01-07",
        "    text: قبل النشر",
        "  - date: 2022-01-09",
        "  - date: 2022-02-30",
        "    text: تاريخ غير موجود",
        "  - date: 2022-01-10",
        "    text: نص",
        "    author: المحرر",
      ]),
    });
    const shown = problems.map(formatProblem);
    assert.match(
      shown.join("\n"),
      '2022/not-a-list.md:5 [corrections]: "corrections" must be a list, got "تم تصحيح الاسم"',
    );
    const items = shown.filter((line) => line.startsWith("2022/items.md")).join("\n");
    const earlier =
      '2022/items.md:6 [corrections[1].date]: corrections[1].date (2022-01-07) is earlier than "date" (2022-01-08T14:30+04:00)';
    assert.match(items, earlier);
    assert.match(
      items,
      "2022/items.md:8 [corrections[2]]: corrections[2] has no text\n    fix: add `text: …` under it",
    );
    assert.match(items, '2022/items.md:9 [corrections[3].date]: "2022-02-30" is not a real date');
    assert.match(items, '2022/items.md:13 [corrections[4].author]: corrections[4] has an unknown field "author"');
    assert.is(problems.filter((problem) => problem.file === "2022/items.md").length, 4, items);
  },
);

Corrections(
  "corrections show near the top with their dates, in JSON-LD as CorrectionComment, and the latest is the modified time everywhere",
  async () => {
    const dir = await writeArticles({
      "2022/01/a.md": corrected([
        "  - date: 2022-01-12T09:00",
        "    text: صُحّح عدد الجنود المشاركين في المهمة.",
        "  - date: 2022-01-09",
        '    text: صُحّح اسم "منظمة معاهدة الأمن الجماعي".',
      ]),
    });
    try {
      const outputs = await buildOutputs(dir, { buildTime: new Date("2022-01-13T00:00:00Z") });
      const doc = pagesOf(outputs).get("/2022/01/a/")!.document;
      const notice = doc.querySelector(".article-header + aside.corrections");
      assert.ok(notice, "the notice follows the header");
      assert.is(notice.querySelector("h2")?.textContent, "تصحيح");
      const items = [...notice.querySelectorAll("li")];
      assert.equal(
        items.map((item) => item.querySelector("time")?.getAttribute("datetime")),
        ["2022-01-09", "2022-01-12T09:00+04:00"],
        "oldest first",
      );
      assert.match(items[0]!.textContent ?? "", '9 كانون الثاني/يناير 2022: صُحّح اسم "منظمة معاهدة الأمن الجماعي".');
      const [newsArticle] = jsonLd(doc);
      assert.equal(newsArticle?.correction, [
        {
          "@type": "CorrectionComment",
          datePublished: "2022-01-09T00:00:00+04:00",
          text: 'صُحّح اسم "منظمة معاهدة الأمن الجماعي".',
        },
        {
          "@type": "CorrectionComment",
          datePublished: "2022-01-12T09:00:00+04:00",
          text: "صُحّح عدد الجنود المشاركين في المهمة.",
        },
      ]);
      assert.is(newsArticle?.dateModified, "2022-01-12T09:00:00+04:00");
      const modified = doc.querySelector('meta[property="article:modified_time"]')?.getAttribute("content");
      assert.is(modified, "2022-01-12T09:00:00+04:00");
      // Feeds write RFC 3339 in UTC.
      assert.match(outputs.get("/feed.xml") ?? "", /<entry>[\s\S]*<updated>2022-01-12T05:00:00Z<\/updated>/);
      assert.match(outputs.get("/feed.json") ?? "", /"date_modified": ?"2022-01-12T05:00:00Z"/);
      assert.match(outputs.get("/sitemap.xml") ?? "", "<lastmod>2022-01-12T09:00:00+04:00</lastmod>");
    } finally {
      await removeDir(dir);
    }
  },
);

Corrections.run();
