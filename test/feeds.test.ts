import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { Feed, FeedContext } from "../src/publish/feeds.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { parseArticleDate } from "../src/site/dates.ts";
import type { FeedArticle } from "../src/site/site.ts";
import { renderAtomFeed } from "../templates/feeds/atom.ts";
import { renderJsonFeed } from "../templates/feeds/json.ts";
import { type BuiltPage, page, pagesOf, removeDir } from "./helpers/build.ts";
import { buildNewsroom, buildTime, childrenNamed, childText, parseXml } from "./helpers/newsroom.ts";

const atom = "http://www.w3.org/2005/Atom";
const media = "http://search.yahoo.com/mrss/";
const origin = "https://example.org";

interface Context {
  dir: string;
  outputs: Map<string, string>;
  pages: Map<string, BuiltPage>;
}

/** A JSON Feed item, as far as these tests read it. */
interface JsonItem {
  id: string;
  url: string;
  title: string;
  summary?: string;
  content_html?: string;
  content_text?: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors?: { name: string }[];
  tags?: string[];
}

const Feeds = suite<Context>("feeds");

Feeds.before(async (context) => {
  // One build: the pages are the HTML among its outputs.
  ({ dir: context.dir, outputs: context.outputs } = await buildNewsroom());
  context.pages = pagesOf(context.outputs);
});
Feeds.after(async ({ dir }) => removeDir(dir));

const output = (outputs: Map<string, string>, url: string) => {
  const found = outputs.get(url);
  if (found === undefined) throw new Error(`nothing built at ${url}; built: ${[...outputs.keys()].join(", ")}`);
  return found;
};

Feeds(
  "the site's Atom feed: Atom namespace, Arabic, the required elements, newest first, at most feedSize, no drafts",
  ({ outputs }) => {
    const feed = parseXml(output(outputs, "/feed.xml")).documentElement!;
    assert.is(feed.namespaceURI, atom);
    assert.is(feed.localName, "feed");
    assert.is(feed.getAttribute("xml:lang"), "ar");
    assert.is(childText(feed, atom, "id"), `${origin}/feed.xml`);
    assert.is(childText(feed, atom, "title"), "مداد");
    assert.is(childText(childrenNamed(feed, atom, "author")[0]!, atom, "name"), "مداد");
    const links = childrenNamed(feed, atom, "link").map((link) => [
      link.getAttribute("rel"),
      link.getAttribute("href"),
    ]);
    assert.equal(links, [
      ["self", `${origin}/feed.xml`],
      ["alternate", `${origin}/`],
    ]);
    assert.match(childText(feed, atom, "icon"), /^https:\/\/example\.org\/assets\/logo-[0-9a-f]{10}\.png$/);
    // The newest change among the entries: the lead story's update (11:30 in Yerevan), not its date; the scheduled
    // story waits for a later build.
    assert.is(childText(feed, atom, "updated"), "2022-01-10T07:30:00Z");
    assert.is(
      childText(parseXml(output(outputs, "/top/feed.xml")).documentElement!, atom, "updated"),
      "2022-01-10T07:30:00Z",
    );
    const entries = childrenNamed(feed, atom, "entry");
    assert.equal(
      entries.map((entry) => childText(entry, atom, "id")),
      [`${origin}/2022/01/lead-story/`, `${origin}/2022/01/yesterday/`, `${origin}/2022/01/tricky/`],
    );
    for (const entry of entries) {
      for (const required of ["id", "title", "updated", "published"])
        assert.ok(childText(entry, atom, required), required);
      const alternate = childrenNamed(entry, atom, "link")[0]!;
      assert.is(alternate.getAttribute("rel"), "alternate");
      assert.is(alternate.getAttribute("href"), childText(entry, atom, "id"));
    }
    assert.not.match(output(outputs, "/feed.xml"), "مسودة");
    assert.not.match(output(outputs, "/feed.xml"), "/2022/01/scheduled/", "an article dated after the build waits");
  },
);

Feeds(
  "an Atom entry: Arabic title and summary, published and updated times, author, categories, absolute HTML, the social card",
  ({ outputs }) => {
    const feed = parseXml(output(outputs, "/feed.xml")).documentElement!;
    const lead = childrenNamed(feed, atom, "entry")[0]!;
    assert.is(childText(lead, atom, "title"), "قوات حفظ السلام تغادر ألما آتا");
    assert.is(childText(lead, atom, "summary"), "ملخص الخبر الرئيسي");
    assert.is(childText(lead, atom, "published"), "2022-01-10T05:00:00Z");
    assert.is(childText(lead, atom, "updated"), "2022-01-10T07:30:00Z");
    assert.is(childText(childrenNamed(lead, atom, "author")[0]!, atom, "name"), "سارة خليل");
    assert.equal(
      childrenNamed(lead, atom, "category").map((c) => [c.getAttribute("term"), c.getAttribute("label")]),
      [
        ["top", "الأبرز"],
        ["politics", "سياسة"],
      ],
    );
    const content = childrenNamed(lead, atom, "content")[0]!;
    assert.is(content.getAttribute("type"), "html");
    const html = content.textContent ?? "";
    assert.match(html, `href="${origin}/politics/"`);
    assert.match(html, `href="${origin}/2022/01/lead-story/#top"`);
    assert.match(html, /<picture>/);
    const urls = [...html.matchAll(/(?:src|srcset)="([^"]+)"/g)].flatMap((m) =>
      m[1]!.split(",").map((c) => c.trim().split(" ")[0]!),
    );
    assert.ok(urls.length > 3, "the lead picture's sources are in the content");
    for (const url of urls) assert.ok(url.startsWith(`${origin}/img/`), `absolute image URL: ${url}`);
    const [image] = childrenNamed(lead, media, "content");
    assert.match(image?.getAttribute("url") ?? "", /^https:\/\/example\.org\/img\/.+\.jpe?g$/);
    assert.is(image?.getAttribute("medium"), "image");
    assert.is(image?.getAttribute("type"), "image/jpeg");
    assert.is(image?.getAttribute("width"), "1200");
    assert.is(image?.getAttribute("height"), "630");
    const withoutPhoto = childrenNamed(feed, atom, "entry")[1]!;
    assert.is(childrenNamed(withoutPhoto, media, "content").length, 0, "no image element without a lead photo");
    assert.is(childrenNamed(withoutPhoto, atom, "summary").length, 0, "no empty summary");
  },
);

Feeds(
  "a category's feeds hold only its articles; an empty category's feed is valid and dated at the build",
  ({ outputs }) => {
    const politics = parseXml(output(outputs, "/politics/feed.xml")).documentElement!;
    assert.is(childText(politics, atom, "title"), "سياسة | مداد");
    assert.equal(
      childrenNamed(politics, atom, "entry").map((entry) => childText(entry, atom, "title")),
      ["قوات حفظ السلام تغادر ألما آتا", "عنوان </script><!-- &  جرس", "خبر قديم 4"],
    );
    const economy = parseXml(output(outputs, "/economy/feed.xml")).documentElement!;
    assert.is(childrenNamed(economy, atom, "entry").length, 0);
    assert.is(childText(economy, atom, "updated"), "2022-01-10T08:00:00Z");
    const json = JSON.parse(output(outputs, "/economy/feed.json")) as { items: unknown[] };
    assert.equal(json.items, []);
  },
);

Feeds(
  "a character XML cannot carry is left out, so the feed still parses; markup in text stays text",
  ({ outputs }) => {
    const text = output(outputs, "/politics/feed.xml");
    assert.not.match(text, "\u0007");
    const entry = childrenNamed(parseXml(text).documentElement!, atom, "entry")[1]!;
    assert.is(childText(entry, atom, "summary"), "نص <b>غامق</b>");
  },
);

Feeds(
  "JSON Feed 1.1: version, Arabic, absolute URLs, items newest first with content, dates, image where there is one",
  ({ outputs }) => {
    const feed = JSON.parse(output(outputs, "/feed.json")) as Record<string, unknown> & { items: JsonItem[] };
    assert.is(feed.version, "https://jsonfeed.org/version/1.1");
    assert.is(feed.title, "مداد");
    assert.is(feed.language, "ar");
    assert.is(feed.home_page_url, `${origin}/`);
    assert.is(feed.feed_url, `${origin}/feed.json`);
    assert.match(String(feed.icon), /^https:\/\/example\.org\/assets\/logo-/);
    assert.equal(feed.authors, [{ name: "مداد", url: `${origin}/` }]);
    assert.equal(
      feed.items.map((item) => item.url),
      [`${origin}/2022/01/lead-story/`, `${origin}/2022/01/yesterday/`, `${origin}/2022/01/tricky/`],
    );
    for (const item of feed.items) {
      assert.is(item.id, item.url);
      assert.type(item.content_html, "string", "every item has content");
      assert.match(item.date_published, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    const lead = feed.items[0]!;
    assert.is(lead.title, "قوات حفظ السلام تغادر ألما آتا");
    assert.is(lead.summary, "ملخص الخبر الرئيسي");
    assert.is(lead.date_published, "2022-01-10T05:00:00Z");
    assert.is(lead.date_modified, "2022-01-10T07:30:00Z");
    assert.equal(lead.authors, [{ name: "سارة خليل" }]);
    assert.equal(lead.tags, ["كازاخستان", "CSTO"]);
    assert.match(lead.image ?? "", /^https:\/\/example\.org\/img\/.+-1200x630\.jpe?g$/);
    assert.match(lead.content_html ?? "", `href="${origin}/politics/"`);
    assert.is(feed.items[1]!.image, undefined, "no image without a lead photo");
    assert.is(feed.items[1]!.summary, undefined);
  },
);

Feeds("every page links the site's feeds; category and article pages also link their section's", ({ pages }) => {
  const feeds = (url: string) =>
    [...page(pages, url).querySelectorAll('link[rel="alternate"]')].map((link) => [
      link.getAttribute("type"),
      link.getAttribute("href"),
    ]);
  const site = [
    ["application/atom+xml", "/feed.xml"],
    ["application/feed+json", "/feed.json"],
  ];
  for (const url of pages.keys()) assert.equal(feeds(url).slice(0, 2), site, url);
  assert.equal(feeds("/politics/").slice(2), [
    ["application/atom+xml", "/politics/feed.xml"],
    ["application/feed+json", "/politics/feed.json"],
  ]);
  assert.equal(feeds("/2022/01/yesterday/").slice(2), [
    ["application/atom+xml", "/analysis/feed.xml"],
    ["application/feed+json", "/analysis/feed.json"],
  ]);
  assert.equal(feeds("/").length, 2);
});

Feeds.run();

const Summaries = suite("title-and-summary feeds");

Summaries("without full text, Atom has no content and JSON Feed gives the summary (or the title) as text", () => {
  const config = resolveSiteConfig({ pathPrefix: "/news/" });
  const date = parseArticleDate("2022-01-08T14:30", config.timeZone);
  if ("error" in date) throw new Error(date.error);
  const base = {
    url: "/2022/01/a/",
    title: "عنوان",
    date,
    categories: [config.categories[0]!],
    tags: [],
    draft: false,
  } as Partial<FeedArticle>;
  const articles = [
    { ...base, summary: "ملخص" },
    { ...base, url: "/2022/01/b/" },
  ] as FeedArticle[];
  const feed: Feed = { title: "مداد", pageUrl: "/", atomUrl: "/feed.xml", jsonUrl: "/feed.json", articles };
  const context: FeedContext = {
    config,
    logo: { url: "/assets/logo-0123456789.png", width: 512, height: 512, type: "image/png" },
    buildTime,
    content: () => undefined,
  };
  const entries = childrenNamed(parseXml(renderAtomFeed(feed, context)).documentElement!, atom, "entry");
  assert.is(entries.length, 2);
  for (const entry of entries) assert.is(childrenNamed(entry, atom, "content").length, 0);
  assert.is(
    childText(entries[0]!, atom, "id"),
    "https://example.org/news/2022/01/a/",
    "absolute URLs carry the path prefix",
  );
  const items = (JSON.parse(renderJsonFeed(feed, context)) as { items: JsonItem[] }).items;
  assert.equal(
    items.map((item) => [item.content_text, item.content_html]),
    [
      ["ملخص", undefined],
      ["عنوان", undefined],
    ],
  );
});

Summaries.run();
