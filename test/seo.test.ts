import { suite } from "uvu";
import * as assert from "uvu/assert";
import { articleStructuredData, homeStructuredData, jsonLdText } from "../src/publish/structured-data.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { parseArticleDate } from "../src/site/dates.ts";
import { type BuiltPage, type Json, jsonLd, page, pagesOf, removeDir } from "./helpers/build.ts";
import { buildNewsroom } from "./helpers/newsroom.ts";

const origin = "https://example.org";
const meta = (doc: Document, key: string) =>
  [...doc.querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`)].map((m) => m.getAttribute("content"));

const Head = suite<{ dir: string; pages: Map<string, BuiltPage> }>("what machines read in the head");

Head.before(async (context) => {
  const { dir, outputs } = await buildNewsroom();
  context.dir = dir;
  context.pages = pagesOf(outputs);
});
Head.after(async ({ dir }) => removeDir(dir));

Head(
  "an article: canonical URL, description from the summary, Open Graph and Twitter tags with the social card",
  ({ pages }) => {
    const doc = page(pages, "/2022/01/lead-story/");
    assert.is(doc.querySelector('link[rel="canonical"]')?.getAttribute("href"), `${origin}/2022/01/lead-story/`);
    assert.equal(meta(doc, "description"), ["ملخص الخبر الرئيسي"]);
    assert.equal(meta(doc, "og:type"), ["article"]);
    assert.equal(meta(doc, "og:locale"), ["ar_AR"]);
    assert.equal(meta(doc, "og:site_name"), ["مداد"]);
    assert.equal(meta(doc, "og:title"), ["قوات حفظ السلام تغادر ألما آتا"]);
    assert.equal(meta(doc, "og:description"), ["ملخص الخبر الرئيسي"]);
    assert.equal(meta(doc, "og:url"), [`${origin}/2022/01/lead-story/`]);
    const [image] = meta(doc, "og:image");
    assert.match(image ?? "", /^https:\/\/example\.org\/img\/.+-1200x630\.jpe?g$/);
    assert.equal(meta(doc, "og:image:width"), ["1200"]);
    assert.equal(meta(doc, "og:image:height"), ["630"]);
    assert.equal(meta(doc, "og:image:alt"), ["جنود على مدرج المطار"]);
    assert.equal(meta(doc, "article:published_time"), ["2022-01-10T09:00:00+04:00"]);
    assert.equal(meta(doc, "article:modified_time"), ["2022-01-10T11:30:00+04:00"]);
    assert.equal(meta(doc, "article:section"), ["الأبرز"]);
    assert.equal(meta(doc, "article:tag"), ["كازاخستان", "CSTO"]);
    assert.equal(meta(doc, "twitter:card"), ["summary_large_image"]);
    assert.equal(meta(doc, "twitter:image:alt"), ["جنود على مدرج المطار"]);
    // X reads the title, description and image from Open Graph: not written twice.
    for (const name of ["twitter:title", "twitter:description", "twitter:image"]) assert.equal(meta(doc, name), []);
  },
);

Head("an article without a photo or summary: no image tags, a small Twitter card", ({ pages }) => {
  const doc = page(pages, "/2022/01/yesterday/");
  assert.equal(meta(doc, "og:type"), ["article"]);
  assert.equal(meta(doc, "og:image"), []);
  assert.equal(meta(doc, "twitter:image"), []);
  assert.equal(meta(doc, "twitter:card"), ["summary"]);
  assert.equal(meta(doc, "description"), []);
  assert.equal(meta(doc, "article:section"), ["تحليلات"]);
});

Head("other pages are websites with their canonical URL; the 404 page is kept out of search results", ({ pages }) => {
  for (const url of ["/", "/politics/", "/politics/page/1/"].filter((u) => pages.has(u))) {
    const doc = page(pages, url);
    assert.equal(meta(doc, "og:type"), ["website"], url);
    assert.is(doc.querySelector('link[rel="canonical"]')?.getAttribute("href"), origin + url);
  }
  const missing = page(pages, "/404.html");
  assert.equal(meta(missing, "robots"), ["noindex"]);
  assert.is(missing.querySelector('link[rel="canonical"]'), null);
  assert.equal(meta(missing, "og:type"), []);
});

Head("every JSON-LD block of every page is valid JSON with a schema.org context", ({ pages }) => {
  let blocks = 0;
  for (const [url, built] of pages) {
    for (const data of jsonLd(built.document)) {
      assert.is(data["@context"], "https://schema.org", url);
      blocks++;
    }
  }
  assert.ok(blocks >= 2 * 7 + 2, `${blocks} blocks`);
});

Head("an article's NewsArticle and BreadcrumbList", ({ pages }) => {
  const [article, breadcrumbs] = jsonLd(page(pages, "/2022/01/lead-story/"));
  assert.is(article?.["@type"], "NewsArticle");
  assert.is(article?.headline, "قوات حفظ السلام تغادر ألما آتا");
  assert.is(article?.description, "ملخص الخبر الرئيسي");
  assert.is(article?.datePublished, "2022-01-10T09:00:00+04:00");
  assert.is(article?.dateModified, "2022-01-10T11:30:00+04:00");
  assert.equal(
    article?.author,
    [{ "@type": "Person", name: "سارة خليل", url: `${origin}/authors/sart-khlyl/` }],
    "the author page is the url",
  );
  assert.is(article?.inLanguage, "ar");
  assert.equal(article?.articleSection, ["الأبرز", "سياسة"]);
  assert.is(article?.mainEntityOfPage, `${origin}/2022/01/lead-story/`);
  const publisher = article?.publisher as Json & { logo: Json };
  assert.is(publisher.name, "مداد");
  assert.is(publisher.url, `${origin}/`);
  assert.match(String(publisher.logo.url), /^https:\/\/example\.org\/assets\/logo-[0-9a-f]{10}\.png$/);
  const [image] = article!.image as Json[];
  assert.match(String(image?.url), /^https:\/\/example\.org\/img\/.+-1200x630\.jpe?g$/);
  assert.is(breadcrumbs?.["@type"], "BreadcrumbList");
  const trail = (breadcrumbs!.itemListElement as Json[]).map((item) => [item.position, item.name, item.item]);
  assert.equal(trail, [
    [1, "مداد", `${origin}/`],
    [2, "الأبرز", `${origin}/top/`],
    [3, "قوات حفظ السلام تغادر ألما آتا", `${origin}/2022/01/lead-story/`],
  ]);
  const [plain] = jsonLd(page(pages, "/2022/01/yesterday/"));
  assert.is(plain?.image, undefined, "no image without a lead photo");
  assert.equal(
    plain?.author,
    [{ "@type": "NewsMediaOrganization", name: "مداد", url: `${origin}/` }],
    "without a byline the outlet is the author",
  );
});

Head(
  "a headline quoting </script> cannot end the JSON-LD block: the page has no script but data, the JSON reads back exactly",
  ({ pages }) => {
    const built = pages.get("/2022/01/tricky/")!;
    assert.not.match(
      built.html.split("<body")[0]!.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, ""),
      "</script>",
      "each block ends where it should",
    );
    const scripts = [...built.document.querySelectorAll("script")];
    assert.is(scripts.length, 2);
    assert.ok(scripts.every((s) => s.getAttribute("type") === "application/ld+json"));
    assert.is(jsonLd(built.document)[0]?.headline, "عنوان </script><!-- & \u0007 جرس");
  },
);

Head("the home page: the outlet (NewsMediaOrganization with its logo) and the WebSite", ({ pages }) => {
  const [organization, website] = jsonLd(page(pages, "/"));
  assert.is(organization?.["@type"], "NewsMediaOrganization");
  assert.is(organization?.name, "مداد");
  assert.is(organization?.url, `${origin}/`);
  assert.is((organization!.logo as Json).width, 512);
  assert.is(website?.["@type"], "WebSite");
  assert.is(website?.inLanguage, "ar");
  assert.is(website?.url, `${origin}/`);
  assert.is((website!.publisher as Json).name, "مداد");
});

Head.run();

const Data = suite("structured data as pure functions");

const config = resolveSiteConfig({ url: "https://news.example.com", pathPrefix: "/ar/" });
const logo = { url: "/assets/logo-0123456789.png", width: 600, height: 600, type: "image/png" };
const date = parseArticleDate("2022-01-08", config.timeZone);

Data("the social card becomes the article's image, at its absolute URL under the path prefix", () => {
  if ("error" in date) throw new Error(date.error);
  const facts = {
    url: "/2022/01/a/",
    title: "عنوان",
    date,
    categories: [config.categories[2]!],
    tags: [],
    corrections: [],
    socialCard: { url: "/img/abc-1200x630.jpeg", width: 1200, height: 630 },
  };
  const [article, breadcrumbs] = articleStructuredData(config, logo, facts);
  assert.equal(article?.image, [
    { "@type": "ImageObject", url: "https://news.example.com/ar/img/abc-1200x630.jpeg", width: 1200, height: 630 },
  ]);
  assert.is(article?.url, "https://news.example.com/ar/2022/01/a/");
  assert.is(article?.datePublished, "2022-01-08T00:00:00+04:00", "a date-only article has a full instant");
  assert.equal(
    (breadcrumbs!.itemListElement as Json[]).map((item) => item.item),
    ["https://news.example.com/ar/", "https://news.example.com/ar/politics/", "https://news.example.com/ar/2022/01/a/"],
  );
  const [organization] = homeStructuredData(config, logo);
  assert.is((organization!.logo as Json).url, "https://news.example.com/ar/assets/logo-0123456789.png");
});

Data(
  "JSON-LD text escapes <, > and & (and U+2028) so no field can close the script element, and parses back to the same data",
  () => {
    const data = { headline: "a </script><script>alert(1)</script> <!-- & \u2028 b" };
    const text = jsonLdText(data);
    assert.not.match(text, /[<>&\u2028]/);
    assert.equal(JSON.parse(text), data);
  },
);

Data.run();
