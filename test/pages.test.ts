import { writeFileSync } from "node:fs";
import path from "node:path";
import Eleventy from "@11ty/eleventy";
import sharp from "sharp";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { midad } from "../.eleventy.ts";
import {
  article,
  type BuiltPage,
  buildPages,
  page,
  removeDir,
  repoRoot,
  testImageCache,
  writeArticles,
} from "./helpers/build.ts";

interface Context {
  dir: string;
  pages: Map<string, BuiltPage>;
}

const Pages = suite<Context>("pages");

/** Seven politics articles on consecutive days (newest: day 7), two of them also top, plus one story. */
async function fixtureArticles(): Promise<Record<string, string | Buffer>> {
  const files: Record<string, string | Buffer> = {};
  for (let day = 1; day <= 7; day++) {
    const categories = day >= 6 ? "[Top, سياسة]" : "[politics]";
    files[`2022/01/politics-${day}.md`] = article({
      title: `"خبر سياسي رقم ${day}"`,
      date: `2022-01-0${day}T10:00`,
      categories,
      summary: `"ملخص الخبر ${day}"`,
    });
  }
  files["2022/01/photo.jpg"] = await sharp({ create: { width: 320, height: 200, channels: 3, background: "#345" } })
    .jpeg()
    .toBuffer();
  files["2022/01/feature.md"] = article(
    {
      title: '"قوات CSTO تصل إلى ألما آتا"',
      date: "2022-01-08T14:30",
      updated: "2022-01-09T09:05",
      categories: "[Top, تحليلات, سياسة]",
      summary: '"ملخص التحليل"',
      author: '"Alexander Khramchikhin"',
      source: "أرمنبريس",
      tags: "[كازاخستان, CSTO]",
      story: "kazakhstan-unrest-2022",
      image: '\n  src: ./photo.jpg\n  alt: "لوحة زرقاء"\n  caption: "صورة تعبيرية"\n  credit: "SpaceX / Public domain"',
    },
    [
      "فقرة أولى فيها 100 جندي و CSTO.",
      "",
      "<script>alert('x')</script> و {{ title }} و {% raw %}",
      "",
      "::: timeline أبرز المحطات",
      "- 2022-01-02: بدأت الاحتجاجات",
      "- 2022-01-05T20:00: طلب **المساعدة**",
      ":::",
    ].join("\n"),
  );
  files["2021/12/same-story.md"] = article({
    title: '"خبر قديم من القصة نفسها"',
    date: "2021-12-01",
    categories: "[تحليلات]",
    story: "kazakhstan-unrest-2022",
  });
  files["2022/01/draft.md"] = article({ title: '"مسودة لم تنشر"', date: "2022-01-09", draft: "true" });
  return files;
}

Pages.before(async (context) => {
  context.dir = await writeArticles(await fixtureArticles());
  context.pages = await buildPages(context.dir, { site: { pageSize: 3, homeLeadCount: 2, homePerCategory: 2 } });
});
Pages.after(async (context) => removeDir(context.dir));

Pages(
  "every page is Arabic, right to left, with a skip link and a back-to-top link that needs no JavaScript",
  ({ pages }) => {
    assert.ok(pages.size >= 10, `expected the whole site, got ${pages.size} pages`);
    for (const { url, document } of pages.values()) {
      const root = document.documentElement;
      assert.is(root.getAttribute("lang"), "ar", url);
      assert.is(root.getAttribute("dir"), "rtl", url);
      assert.is(document.querySelectorAll("h1").length, 1, `${url}: one h1`);
      assert.is(document.querySelector(".skip-link")?.getAttribute("href"), "#main", url);
      assert.ok(document.getElementById("main"), url);
      const backToTop = document.querySelector("a.back-to-top");
      assert.is(backToTop?.getAttribute("href"), "#top", url);
      assert.match(backToTop?.textContent ?? "", "زر الذهاب إلى الأعلى");
      assert.ok(document.getElementById("top"), `${url}: #top target exists`);
      const scripts = [...document.querySelectorAll("script")];
      // The search page alone loads a script (test/search.test.ts).
      assert.ok(
        url === "/search/" || scripts.every((script) => script.getAttribute("type") === "application/ld+json"),
        `${url}: no script runs, only JSON-LD data`,
      );
      assert.is(document.querySelectorAll('link[rel="stylesheet"]').length, 0, `${url}: CSS is inline`);
    }
  },
);

Pages("an article shows its categories as links, dates in Arabic, byline, figure, timeline and tags", ({ pages }) => {
  const doc = page(pages, "/2022/01/feature/");
  const categoryLinks = [...doc.querySelectorAll(".article-categories a")].map((a) => [
    a.getAttribute("href"),
    a.textContent,
  ]);
  assert.equal(categoryLinks, [
    ["/top/", "الأبرز"],
    ["/analysis/", "تحليلات"],
    ["/politics/", "سياسة"],
  ]);
  assert.is(doc.querySelector("h1")?.textContent?.trim(), "قوات CSTO تصل إلى ألما آتا");
  const [published, updated] = [...doc.querySelectorAll(".dates time")];
  assert.is(published?.getAttribute("datetime"), "2022-01-08T14:30+04:00");
  assert.is(published?.textContent, "8 كانون الثاني/يناير 2022، 14:30");
  assert.is(updated?.getAttribute("datetime"), "2022-01-09T09:05+04:00");
  assert.is(doc.querySelector(".author bdi")?.textContent, "Alexander Khramchikhin");
  assert.is(doc.querySelector(".source bdi")?.textContent, "أرمنبريس");
  const sources = [...doc.querySelectorAll(".lead-figure picture source")];
  assert.equal(
    sources.map((source) => source.getAttribute("type")),
    ["image/avif", "image/webp"],
  );
  assert.match(
    sources[0]?.getAttribute("srcset") ?? "",
    /^\/img\/[\w-]+-320\.avif$/,
    "one width: the photo is never upscaled",
  );
  const img = doc.querySelector(".lead-figure picture img");
  assert.match(img?.getAttribute("src") ?? "", /^\/img\/[\w-]+-320\.jpeg$/);
  assert.is(img?.getAttribute("alt"), "لوحة زرقاء");
  assert.is(img?.getAttribute("width"), "320");
  assert.is(img?.getAttribute("height"), "200");
  assert.is(img?.getAttribute("fetchpriority"), "high", "the lead image is fetched first");
  assert.is(img?.getAttribute("loading"), null, "the lead image is not lazy");
  assert.match(img?.getAttribute("style") ?? "", /^background-color:#[0-9a-f]{6}$/);
  assert.is(doc.querySelector(".lead-figure figcaption .caption")?.textContent, "صورة تعبيرية");
  assert.is(doc.querySelector(".lead-figure .credit bdi")?.textContent, "SpaceX / Public domain");
  const timeline = doc.querySelector("section.timeline");
  assert.is(timeline?.querySelector("h2")?.textContent, "أبرز المحطات");
  const events = [...(timeline?.querySelectorAll("ol > li > time") ?? [])].map((t) => [
    t.getAttribute("datetime"),
    t.textContent,
  ]);
  assert.equal(events, [
    ["2022-01-02", "2 كانون الثاني/يناير 2022"],
    ["2022-01-05T20:00+04:00", "5 كانون الثاني/يناير 2022، 20:00"],
  ]);
  assert.is(timeline?.querySelector("li strong")?.textContent, "المساعدة");
  assert.equal(
    [...doc.querySelectorAll(".tags li")].map((li) => li.textContent),
    ["كازاخستان", "CSTO"],
  );
});

Pages("article text is data: raw HTML is escaped and template syntax prints literally", ({ pages }) => {
  const built = pages.get("/2022/01/feature/")!;
  const body = built.document.querySelector(".article-body")!;
  assert.is(body.querySelectorAll("script").length, 0);
  assert.match(body.textContent ?? "", "<script>alert('x')</script>");
  assert.match(body.textContent ?? "", "{{ title }}");
  assert.match(body.textContent ?? "", "{% raw %}");
});

Pages("related articles put the same story first, then the same categories", ({ pages }) => {
  const related = [...page(pages, "/2022/01/feature/").querySelectorAll(".related a")].map((a) =>
    a.getAttribute("href"),
  );
  assert.is(related[0], "/2021/12/same-story/");
  assert.is(related.length, 4);
  assert.not.ok(related.includes("/2022/01/feature/"), "an article is not related to itself");
  assert.ok(related.includes("/2022/01/politics-7/"), "nearest politics article follows");
});

Pages("category pages list newest first, numbered from the oldest, with a plain show-more link", ({ pages }) => {
  const urls = (url: string) =>
    [...page(pages, url).querySelectorAll(".cards h2 a")].map((a) => a.getAttribute("href"));
  // Eight articles, three a page: one full numbered page of the oldest three, and the newest five first.
  assert.equal(urls("/politics/"), [
    "/2022/01/feature/",
    "/2022/01/politics-7/",
    "/2022/01/politics-6/",
    "/2022/01/politics-5/",
    "/2022/01/politics-4/",
  ]);
  assert.equal(urls("/politics/page/1/"), ["/2022/01/politics-3/", "/2022/01/politics-2/", "/2022/01/politics-1/"]);
  const more = page(pages, "/politics/").querySelector("a.show-more");
  assert.is(more?.textContent, "إظهار المزيد");
  assert.is(more?.getAttribute("rel"), "next");
  assert.is(more?.getAttribute("href"), "/politics/page/1/");
  assert.is(page(pages, "/politics/").querySelector('a[rel="prev"]'), null, "the first page has no newer page");
  const oldest = page(pages, "/politics/page/1/");
  assert.is(oldest.querySelector("a.show-more"), null, "the oldest page has no show-more link");
  assert.is(oldest.querySelector('a.newer[rel="prev"]')?.getAttribute("href"), "/politics/");
  assert.is(oldest.querySelector("h1")?.textContent, "سياسة: الصفحة 1");
  assert.is(oldest.querySelector("nav.pager")?.getAttribute("aria-label"), "الصفحة 1");
  assert.not.match(oldest.querySelector("title")?.textContent ?? "", " من ", "no page count in the title");
  assert.is(pages.has("/politics/page/2/"), false);
  assert.equal(urls("/analysis/"), ["/2022/01/feature/", "/2021/12/same-story/"]);
  assert.is(page(pages, "/analysis/").querySelector("nav.pager"), null, "a short listing is one page");
});

Pages("the home page leads with the newest top articles, then each category", ({ pages }) => {
  const doc = page(pages, "/");
  const lead = [...doc.querySelectorAll(".home-lead .cards a")].map((a) => a.getAttribute("href"));
  assert.equal(lead, ["/2022/01/feature/", "/2022/01/politics-7/"]);
  const sections = [...doc.querySelectorAll(".home-section")].map((s) => s.querySelector("h2 a")?.getAttribute("href"));
  assert.equal(sections, ["/top/", "/analysis/", "/politics/"]);
  const politics = [...doc.querySelectorAll(".home-section")][2]!;
  assert.equal(
    [...politics.querySelectorAll(".cards a")].map((a) => a.getAttribute("href")),
    ["/2022/01/politics-6/", "/2022/01/politics-5/"],
  );
});

Pages("drafts stay out of the site", ({ pages }) => {
  assert.is(pages.has("/2022/01/draft/"), false);
  for (const { html } of pages.values()) assert.not.match(html, "مسودة لم تنشر");
});

Pages("a 404 page offers a way back", ({ pages }) => {
  const doc = page(pages, "/404.html");
  assert.is(doc.querySelector("h1")?.textContent, "الصفحة غير موجودة");
  assert.ok(doc.querySelector('main a[href="/"]'));
});

Pages.run();

const Styles = suite("date styles from the site config");

Styles("Egyptian month names with Eastern Arabic digits; drafts shown when previewing", async () => {
  const dir = await writeArticles({
    "a.md": article({ date: "2022-01-08T14:30" }),
    "b.md": article({ title: '"مسودة"', date: "2022-01-09", draft: "true" }),
  });
  try {
    const pages = await buildPages(dir, {
      site: { dates: { months: "egyptian", digits: "arab" } },
      includeDrafts: true,
    });
    const time = page(pages, "/2022/01/a/").querySelector(".dates time");
    assert.is(time?.textContent, "٨ يناير ٢٠٢٢، ١٤:٣٠");
    assert.is(time?.getAttribute("datetime"), "2022-01-08T14:30+04:00", "machine-readable dates keep Western digits");
    assert.is(page(pages, "/2022/01/b/").querySelector("h1 .draft")?.textContent, "مسودة");
  } finally {
    await removeDir(dir);
  }
});

Styles(
  "dates.hijri adds the Umm al-Qura date to the publication and update dates, in the page and its timeline",
  async () => {
    const dir = await writeArticles({
      "a.md": article(
        { date: "2022-01-08", updated: "2025-03-01T10:00" },
        "::: timeline\n- 2024-06-16: وقع الحدث\n:::",
      ),
    });
    try {
      const pages = await buildPages(dir, { site: { dates: { hijri: true, digits: "arab" } } });
      const doc = page(pages, "/2022/01/a/");
      const [published, updated] = [...doc.querySelectorAll(".dates time")];
      assert.is(published?.textContent, "٨ كانون الثاني/يناير ٢٠٢٢، الموافق ٥ جمادى الآخرة ١٤٤٣ هـ");
      assert.is(published?.getAttribute("datetime"), "2022-01-08");
      assert.is(updated?.textContent, "١ آذار/مارس ٢٠٢٥، الموافق ١ رمضان ١٤٤٦ هـ، ١٠:٠٠");
      assert.match(doc.querySelector(".timeline time")?.textContent ?? "", "الموافق ١٠ ذو الحجة ١٤٤٥ هـ");
    } finally {
      await removeDir(dir);
    }
  },
);

Styles("Levantine month names only, in another newsroom time zone", async () => {
  const dir = await writeArticles({ "a.md": article({ date: "2022-05-01T00:30+04:00" }) });
  try {
    const pages = await buildPages(dir, { site: { timeZone: "Africa/Cairo", dates: { months: "levantine" } } });
    const time = page(pages, "/2022/04/a/").querySelector(".dates time");
    assert.is(time?.textContent, "30 نيسان 2022، 22:30");
    assert.is(time?.getAttribute("datetime"), "2022-05-01T00:30+04:00");
  } finally {
    await removeDir(dir);
  }
});

Styles.run();

const Logo = suite("the logo: checked on every build, its size read once");

/** The messages of an error and of its causes, as the build's failure report shows them. */
function messagesOf(error: unknown): string {
  const messages: string[] = [];
  for (let cause = error; cause instanceof Error; cause = cause.cause) messages.push(cause.message);
  return messages.join("\n");
}

Logo("a logo that is not an image, or too small, fails the build naming the file, its size and the fix", async () => {
  const dir = await writeArticles({ "a.md": article() });
  try {
    const notImage = path.join(dir, "logo.png");
    writeFileSync(notImage, "not a picture");
    const small = path.join(dir, "small.png");
    await sharp({ create: { width: 64, height: 48, channels: 3, background: "#1a4" } })
      .png()
      .toFile(small);
    const fix = "point the pages plugin's `logo` option at a square PNG or JPEG of at least 112 px";
    // The small logo twice: its size is measured, then read from the cache, and refused both times.
    for (const [logo, message] of [
      [notImage, `logo ${notImage} is not an image (`],
      [small, `logo ${small} is 64x48 px; ${fix}`],
      [small, `logo ${small} is 64x48 px; ${fix}`],
    ] as const) {
      const eleventy = new Eleventy("templates", path.join(dir, "_site"), {
        quietMode: true,
        config: midad({ articlesDir: dir, root: repoRoot, images: { cacheDir: testImageCache }, pages: { logo } }),
      });
      const error = await eleventy.toJSON().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.match(messagesOf(error), message);
      assert.match(messagesOf(error), fix);
    }
  } finally {
    await removeDir(dir);
  }
});

Logo.run();
