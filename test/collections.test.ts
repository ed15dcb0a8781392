import { writeFileSync } from "node:fs";
import path from "node:path";
import { DOMParser } from "@xmldom/xmldom";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatProblem } from "../src/articles/problems.ts";
import {
  article,
  type BuiltPage,
  buildOutputs,
  buildProblems,
  type Json,
  jsonLd,
  loadArticles,
  page,
  pagesOf,
  removeDir,
  repoRoot,
  writeArticles,
} from "./helpers/build.ts";

interface Context {
  dir: string;
  outputs: Map<string, string>;
  pages: Map<string, BuiltPage>;
}

const Collections = suite<Context>("tag pages, the tag index, and the yearly and monthly archives");

Collections.before(async (context) => {
  context.dir = await writeArticles({
    "2021/12/old.md": article({ title: '"خبر من ديسمبر"', date: "2021-12-20", tags: "[أرمينيا]" }),
    "2022/01/a.md": article({ title: '"الأول"', date: "2022-01-05", tags: "[أرمينيا, روسيا]" }),
    "2022/01/b.md": article({ title: '"الثاني"', date: "2022-01-06", tags: "[أرمينيا]" }),
    "2022/01/c.md": article({ title: '"الثالث"', date: "2022-01-07", tags: "[ARMENIA, Armenia]" }),
    "2022/03/d.md": article({ title: '"الرابع"', date: "2022-03-01", tags: "[أرمينيا]" }),
  });
  context.outputs = await buildOutputs(context.dir, { site: { pageSize: 2 } });
  context.pages = pagesOf(context.outputs);
});
Collections.after(async ({ dir }) => removeDir(dir));

const titles = (doc: Document) => [...doc.querySelectorAll(".cards h2")].map((h) => h.textContent?.trim());
const links = (doc: Document, selector: string) =>
  [...doc.querySelectorAll(selector)].map((a) => [a.getAttribute("href"), a.textContent?.trim()]);

Collections(
  "a tag's page lists its articles newest first, paged with show more; the article links to it",
  ({ pages }) => {
    const first = page(pages, "/tags/armynya/");
    assert.is(first.querySelector("h1")?.textContent, "وسم: أرمينيا");
    assert.equal(titles(first), ["الرابع", "الثاني"]);
    assert.is(first.querySelector("a.show-more")?.getAttribute("href"), "/tags/armynya/page/1/");
    const oldest = page(pages, "/tags/armynya/page/1/");
    assert.is(oldest.querySelector("h1")?.textContent, "وسم: أرمينيا: الصفحة 1");
    assert.equal(titles(oldest), ["الأول", "خبر من ديسمبر"]);
    assert.is(oldest.querySelector("a.newer")?.getAttribute("href"), "/tags/armynya/");
    assert.is(oldest.querySelector("a.show-more"), null);
    assert.not.ok(pages.has("/tags/armynya/page/2/"));
    assert.equal(links(page(pages, "/2022/01/a/"), ".tags a"), [
      ["/tags/armynya/", "أرمينيا"],
      ["/tags/rwsya/", "روسيا"],
    ]);
    assert.equal(titles(page(pages, "/tags/armenia/")), ["الثالث"], "letter case makes one tag");
  },
);

Collections("the tag index lists every tag with its count, most used first", ({ pages }) => {
  const index = page(pages, "/tags/");
  assert.is(index.querySelector("h1")?.textContent, "الوسوم");
  assert.equal(
    [...index.querySelectorAll(".collection-links li")].map((li) => li.textContent),
    ["أرمينيا (4)", "ARMENIA (1)", "روسيا (1)"],
  );
});

Collections(
  "every prefix of an article URL is a page: a month links to the months around it that have articles",
  ({ pages }) => {
    const january = page(pages, "/2022/01/");
    assert.is(january.querySelector("h1")?.textContent, "كانون الثاني/يناير 2022");
    assert.equal(titles(january), ["الثالث", "الثاني", "الأول"], "under two pages' worth is one page");
    assert.equal(links(january, ".months a"), [
      ["/2021/12/", "الشهر السابق: كانون الأول/ديسمبر 2021"],
      ["/2022/03/", "الشهر التالي: آذار/مارس 2022"],
    ]);
    assert.not.ok(pages.has("/2022/01/page/1/"));
    const year = page(pages, "/2022/");
    assert.is(year.querySelector("h1")?.textContent, "أرشيف 2022");
    assert.equal(
      [...year.querySelectorAll(".collection-links li")].map((li) => li.textContent),
      ["آذار/مارس 2022 (1)", "كانون الثاني/يناير 2022 (3)"],
    );
    assert.equal(titles(year), ["الرابع", "الثالث"]);
    const oldest = page(pages, "/2022/page/1/");
    assert.equal(titles(oldest), ["الثاني", "الأول"]);
    assert.is(oldest.querySelector(".collection-links"), null, "the months and their counts are on the first page");
    assert.not.ok(pages.has("/2022/02/"), "a month without articles has no page");
  },
);

Collections(
  "the new pages are in the sitemap, with CollectionPage and BreadcrumbList structured data",
  ({ outputs, pages }) => {
    const sitemap = outputs.get("/sitemap.xml") ?? "";
    for (const url of ["/tags/", "/tags/armynya/", "/tags/armynya/page/1/", "/2022/", "/2022/01/", "/2021/12/"]) {
      assert.match(sitemap, `<loc>https://example.org${url}</loc>`);
    }
    const [collection, breadcrumbs] = jsonLd(page(pages, "/tags/armynya/"));
    assert.is(collection?.["@type"], "CollectionPage");
    assert.is(collection?.url, "https://example.org/tags/armynya/");
    assert.equal(
      (breadcrumbs!.itemListElement as Json[]).map((item) => item.item),
      ["https://example.org/", "https://example.org/tags/", "https://example.org/tags/armynya/"],
    );
  },
);

Collections(
  "a tag's page has its own Atom and JSON feeds, of titles and summaries, newest first",
  ({ outputs, pages }) => {
    const atom = new DOMParser().parseFromString(outputs.get("/tags/armynya/feed.xml") ?? "", "application/xml");
    const entries = [...atom.getElementsByTagName("entry")];
    assert.equal(
      entries.map((entry) => entry.getElementsByTagName("title")[0]?.textContent),
      ["الرابع", "الثاني", "الأول", "خبر من ديسمبر"],
    );
    assert.is(entries[0]!.getElementsByTagName("content").length, 0, "no body in a tag's feed");
    const json = JSON.parse(outputs.get("/tags/armynya/feed.json") ?? "{}") as {
      title: string;
      items: { url: string }[];
    };
    assert.is(json.title, "أرمينيا | مداد");
    assert.is(json.items[0]?.url, "https://example.org/2022/03/d/");
    const alternate = [...page(pages, "/tags/armynya/").querySelectorAll('link[rel="alternate"]')].map((link) =>
      link.getAttribute("href"),
    );
    assert.equal(alternate, ["/feed.xml", "/feed.json", "/tags/armynya/feed.xml", "/tags/armynya/feed.json"]);
    assert.match(
      outputs.get("/_headers") ?? "",
      "/tags/armynya/feed.xml\n  Content-Type: application/atom+xml; charset=utf-8",
    );
  },
);

Collections.run();

const Slugs = suite("tag slugs");

Slugs("two tags that would share one page are an error naming both", async () => {
  const { problems } = await loadArticles({
    "2022/a.md": article({ tags: "[أرمينيا]" }),
    "2022/b.md": article({ title: '"آخر"', tags: "[ارمينيا]" }),
  });
  assert.equal(problems.map(formatProblem), [
    '2022/b.md:5 [tags]: the tags "ارمينيا" and "أرمينيا" (in 2022/a.md) would share the page /tags/armynya/\n    fix: write both the same way, or make them differ in their letters',
  ]);
});

Slugs.run();

const Authors = suite("author pages, the authors index, and the profiles in authors.yaml");

Authors(
  "bylines link to their pages; a desk is an Organization and a person a Person, each with its page as url",
  async () => {
    const dir = await writeArticles({
      "2022/01/a.md": article({ title: '"تحليل"', author: '"قسم التحليلات"' }),
      "2022/01/b.md": article({ title: '"خبر"', date: "2022-01-09", author: '"مراسل يريفان"' }),
      "2022/01/c.md": article({ title: '"خبر آخر"', date: "2022-01-10", author: '"مراسل يريفان"' }),
      "authors.yaml":
        '"قسم التحليلات":\n  kind: desk\n  bio: "قراءات معمّقة في السياسة."\n"مراسل يريفان":\n  role: "مراسل في يريفان"\n',
    });
    try {
      const outputs = await buildOutputs(dir, { authorsFile: path.join(dir, "authors.yaml") });
      const pages = pagesOf(outputs);
      const articlePage = page(pages, "/2022/01/a/");
      assert.equal(links(articlePage, ".byline .author a"), [["/authors/qsm-althlylat/", "قسم التحليلات"]]);
      const [newsArticle] = jsonLd(articlePage);
      assert.equal(newsArticle?.author, [
        {
          "@type": "Organization",
          name: "قسم التحليلات",
          url: "https://example.org/authors/qsm-althlylat/",
          description: "قراءات معمّقة في السياسة.",
        },
      ]);
      const desk = page(pages, "/authors/qsm-althlylat/");
      assert.is(desk.querySelector("h1")?.textContent, "قسم التحليلات");
      assert.is(desk.querySelector(".author-bio")?.textContent, "قراءات معمّقة في السياسة.");
      const reporter = page(pages, "/authors/mrasl-yryfan/");
      assert.is(reporter.querySelector(".author-role")?.textContent, "مراسل في يريفان");
      assert.equal(titles(reporter), ["خبر آخر", "خبر"]);
      const [collection] = jsonLd(reporter);
      assert.equal(collection?.about, {
        "@type": "Person",
        name: "مراسل يريفان",
        url: "https://example.org/authors/mrasl-yryfan/",
        jobTitle: "مراسل في يريفان",
      });
      assert.equal(
        [...page(pages, "/authors/").querySelectorAll(".collection-links li")].map((li) => li.textContent),
        ["مراسل يريفان (2)", "قسم التحليلات (1)"],
      );
      assert.match(outputs.get("/sitemap.xml") ?? "", "<loc>https://example.org/authors/mrasl-yryfan/</loc>");
      assert.match(
        outputs.get("/authors/mrasl-yryfan/feed.xml") ?? "",
        "<title>مراسل يريفان | مداد</title>",
        "an author's feed",
      );
    } finally {
      await removeDir(dir);
    }
  },
);

Authors("authors.yaml is validated like front matter: each problem located, with the fix", async () => {
  const dir = await writeArticles({
    "2022/01/a.md": article({ author: '"قسم التحليلات"' }),
    "authors.yaml": '"قسم التحليلات":\n  kind: team\n  photo: ./x.jpg\n"مراسل": &x "نص"\n',
  });
  try {
    const problems = await buildProblems(dir, { authorsFile: path.join(dir, "authors.yaml") });
    const file = path.relative(repoRoot, path.join(dir, "authors.yaml"));
    assert.equal(problems, [
      `${file}:4 [مراسل]: "&x" marks a value for reuse (a YAML anchor), which article fields do not accept\n    fix: remove "&x"`,
    ]);
    writeFileSync(path.join(dir, "authors.yaml"), '"قسم التحليلات":\n  kind: team\n  photo: ./x.jpg\n');
    assert.equal(await buildProblems(dir, { authorsFile: path.join(dir, "authors.yaml") }), [
      `${file}:3 [قسم التحليلات]: unknown field "photo"\n    fix: use only kind, role, bio`,
      `${file}:2 [قسم التحليلات]: "kind" must be person or desk, got "team"`,
    ]);
  } finally {
    await removeDir(dir);
  }
});

Authors.run();

const Stories = suite("story pages: the whole chronology of a story");

Stories(
  "a story's page merges every timeline event of its articles in date order, each once, linking to its article",
  async () => {
    const dir = await writeArticles({
      "2022/01/first.md": article(
        { title: '"بداية الأحداث"', date: "2022-01-05", story: "unrest" },
        "نص.\n\n::: timeline\n- 2022-01-02: بدأت الاحتجاجات\n- 2022-01-05: أُعلنت حالة الطوارئ\n:::",
      ),
      "2022/01/later.md": article(
        { title: '"تطورات"', date: "2022-01-08", story: "unrest", summary: '"ملخص القصة من أحدث مقالاتها."' },
        "نص.\n\n::: timeline\n- 2022-01-05: أُعلنت حالة الطوارئ\n- 2022-01-07T10:00: وصلت **القوات**\n:::",
      ),
      "2022/01/other.md": article({ title: '"خبر آخر"', date: "2022-01-09" }),
    });
    try {
      const pages = pagesOf(await buildOutputs(dir));
      const story = page(pages, "/stories/unrest/");
      assert.is(
        story.querySelector("h1")?.textContent,
        "القصة: بداية الأحداث",
        "named after the article that opened it",
      );
      assert.is(story.querySelector(".summary")?.textContent, "ملخص القصة من أحدث مقالاتها.");
      const events = [...story.querySelectorAll(".chronology li")];
      assert.equal(
        events.map((li) => [
          li.querySelector("time")?.getAttribute("datetime"),
          li.querySelector("a")?.getAttribute("href"),
        ]),
        [
          ["2022-01-02", "/2022/01/first/"],
          ["2022-01-05", "/2022/01/first/"],
          ["2022-01-07T10:00+04:00", "/2022/01/later/"],
        ],
        "oldest first; the event both tell, once, from the article that told it first",
      );
      assert.is(events[2]!.querySelector("strong")?.textContent, "القوات", "an event's Markdown is rendered");
      assert.equal(titles(story), ["تطورات", "بداية الأحداث"]);
      assert.equal(links(page(pages, "/2022/01/first/"), ".story-link a"), [["/stories/unrest/", "القصة كاملة"]]);
      assert.is(page(pages, "/2022/01/other/").querySelector(".story-link"), null);
      assert.equal(
        [...page(pages, "/stories/").querySelectorAll(".collection-links li")].map((li) => li.textContent),
        ["بداية الأحداث (2)"],
      );
    } finally {
      await removeDir(dir);
    }
  },
);

Stories("stories.yaml names a story and sums it up; a key that is no story key is a located problem", async () => {
  const dir = await writeArticles({
    "2022/01/a.md": article({ title: '"خبر"', story: "unrest" }),
    "stories.yaml": 'unrest:\n  title: "أحداث كازاخستان"\n  summary: "القصة من أولها."\n',
  });
  try {
    const storiesFile = path.join(dir, "stories.yaml");
    const story = page(pagesOf(await buildOutputs(dir, { storiesFile })), "/stories/unrest/");
    assert.is(story.querySelector("h1")?.textContent, "القصة: أحداث كازاخستان");
    assert.is(story.querySelector(".summary")?.textContent, "القصة من أولها.");
    writeFileSync(storiesFile, 'Unrest 2022:\n  title: "أحداث"\n');
    const problems = await buildProblems(dir, { storiesFile });
    assert.equal(problems, [
      `${path.relative(repoRoot, storiesFile)}:1 [Unrest 2022]: "Unrest 2022" is not a story key: lowercase Latin letters, digits and hyphens\n    fix: write the key as articles write it in \`story:\``,
    ]);
  } finally {
    await removeDir(dir);
  }
});

Stories.run();
