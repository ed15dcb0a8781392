import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { ArticleEntry } from "../src/articles/article-entry.ts";
import {
  newsArticles,
  newsSitemapLimit,
  sitemapEntries,
  sitemapEntryCount,
  sitemapFiles,
  sitemapFileUrls,
} from "../src/publish/sitemaps.ts";
import { buildTimeFrom } from "../src/site/build-time.ts";
import { type ArticleDate, parseArticleDate } from "../src/site/dates.ts";
import { buildOutputs, removeDir, repoRoot } from "./helpers/build.ts";
import { buildNewsroom, buildTime, childrenNamed, childText, newsroomSite, parseXml } from "./helpers/newsroom.ts";

const sitemap = "http://www.sitemaps.org/schemas/sitemap/0.9";
const news = "http://www.google.com/schemas/sitemap-news/0.9";
const origin = "https://example.org";

const Sitemaps = suite<{ dir: string; outputs: Map<string, string> }>("sitemaps and robots.txt");

Sitemaps.before(async (context) => {
  ({ dir: context.dir, outputs: context.outputs } = await buildNewsroom());
});
Sitemaps.after(async ({ dir }) => removeDir(dir));

Sitemaps(
  "sitemap.xml lists the home page, every category page and every article, each lastmod from updated or date",
  ({ outputs }) => {
    const urlset = parseXml(outputs.get("/sitemap.xml")!).documentElement!;
    assert.is(urlset.namespaceURI, sitemap);
    assert.is(urlset.localName, "urlset");
    const entries = new Map(
      childrenNamed(urlset, sitemap, "url").map((url) => [
        childText(url, sitemap, "loc"),
        childrenNamed(url, sitemap, "lastmod")[0]?.textContent,
      ]),
    );
    // The search page is `noindex`: results pages are no content of their own.
    const pages = [...outputs.keys()].filter((url) => url.endsWith("/") && url !== "/search/");
    assert.equal([...entries.keys()].sort(), pages.map((url) => origin + url).sort(), "exactly the built pages");
    assert.is(entries.get(`${origin}/2022/01/lead-story/`), "2022-01-10T11:30:00+04:00", "updated, when given");
    assert.is(entries.get(`${origin}/2022/01/yesterday/`), "2022-01-09T10:00:00+04:00", "else date");
    assert.is(entries.get(`${origin}/`), "2022-01-10T11:30:00+04:00", "the home page changed with its newest article");
    assert.not.ok(entries.has(`${origin}/2022/01/scheduled/`), "an article dated after the build waits");
    assert.is(entries.get(`${origin}/top/`), "2022-01-10T11:30:00+04:00");
    assert.ok(entries.has(`${origin}/economy/`));
    assert.is(entries.get(`${origin}/economy/`), undefined, "an empty category has no lastmod");
    assert.not.ok([...entries.keys()].some((url) => url.includes("draft")));
  },
);

Sitemaps(
  "news-sitemap.xml has only the articles of the 48 hours before the build, with publication, language, date and title",
  ({ outputs }) => {
    const urlset = parseXml(outputs.get("/news-sitemap.xml")!).documentElement!;
    assert.is(urlset.namespaceURI, sitemap);
    const urls = childrenNamed(urlset, sitemap, "url");
    assert.equal(
      urls.map((url) => childText(url, sitemap, "loc")),
      [`${origin}/2022/01/lead-story/`, `${origin}/2022/01/yesterday/`],
      "not the scheduled article (after the build) nor the one of 50 hours before",
    );
    const [lead] = urls;
    const item = childrenNamed(lead!, news, "news")[0]!;
    const publication = childrenNamed(item, news, "publication")[0]!;
    assert.is(childText(publication, news, "name"), "مداد");
    assert.is(childText(publication, news, "language"), "ar");
    assert.is(childText(item, news, "publication_date"), "2022-01-10T09:00:00+04:00");
    assert.is(childText(item, news, "title"), "قوات حفظ السلام تغادر ألما آتا");
  },
);

Sitemaps("the same articles and build time give the same files, byte for byte", async ({ dir, outputs }) => {
  const again = await buildOutputs(dir, { site: newsroomSite, buildTime });
  assert.equal([...again.keys()].sort(), [...outputs.keys()].sort());
  for (const [url, content] of again) assert.ok(content === outputs.get(url), url);
});

Sitemaps("robots.txt lets crawlers in and names both sitemaps by absolute URL", ({ outputs }) => {
  const robots = outputs.get("/robots.txt")!;
  assert.match(robots, /^User-agent: \*$/m);
  assert.match(robots, /^Disallow:$/m);
  assert.match(robots, `\nSitemap: ${origin}/sitemap.xml\n`);
  assert.match(robots, `\nSitemap: ${origin}/news-sitemap.xml\n`);
});

Sitemaps.run();

const Rules = suite("sitemap rules");

const date = (iso: string): ArticleDate => {
  const parsed = parseArticleDate(iso, "Asia/Yerevan");
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed;
};

Rules(
  "the news sitemap keeps the newest 1,000 recent articles, without drafts or articles dated after the build",
  () => {
    const end = new Date("2022-03-01T00:00:00Z");
    const recent = Array.from({ length: newsSitemapLimit + 5 }, (_, index) => ({
      id: index,
      draft: false,
      date: date(new Date(end.getTime() - (index + 1) * 60_000).toISOString()),
    }));
    const others = [
      { id: -1, draft: true, date: date("2022-02-28T23:00:00Z") },
      { id: -2, draft: false, date: date("2022-03-01T00:01:00Z") },
      { id: -3, draft: false, date: date("2022-02-26T23:59:00Z") },
    ];
    const chosen = newsArticles([...others, ...recent].reverse(), end, 48);
    assert.is(chosen.length, newsSitemapLimit);
    assert.equal(
      chosen.slice(0, 3).map((a) => a.id),
      [0, 1, 2],
      "newest first",
    );
    assert.not.ok(chosen.some((a) => a.id < 0));
  },
);

Rules(
  "a listing page's last change is its newest article's; the count of entries is theirs without listing them",
  () => {
    const article = (url: string, iso: string, draft = false) =>
      ({ url, draft, date: date(iso) }) as unknown as ArticleEntry;
    const articles = [article("/new/", "2022-03-02T10:00:00Z"), article("/old/", "2022-01-05T10:00:00Z")];
    const site = {
      articles: [...articles, article("/draft/", "2022-03-05T10:00:00Z", true)],
      categoryPages: [{ url: "/top/", articles: articles.map(({ url }) => ({ url })) }],
      collectionPages: [{ url: "/tags/x/", articles: [{ url: "/old/" }] }],
    } as unknown as Parameters<typeof sitemapEntries>[0];
    const entries = sitemapEntries(site);
    assert.equal(
      entries.map((entry) => [entry.url, entry.lastModified?.dateTime.toISODate()]),
      [
        ["/", "2022-03-02"],
        ["/top/", "2022-03-02"],
        ["/tags/x/", "2022-01-05"],
        ["/new/", "2022-03-02"],
        ["/old/", "2022-01-05"],
      ],
    );
    assert.is(sitemapEntryCount(site), entries.length);
  },
);

Rules("a site over 50,000 URLs gets sitemap.xml as an index of numbered sitemaps", () => {
  const entries = ["/", "/a/", "/b/", "/c/", "/d/"].map((url) => ({ url }));
  assert.equal(
    sitemapFiles(entries).map((file) => file.url),
    ["/sitemap.xml"],
  );
  const files = sitemapFiles(entries, 2);
  assert.equal(
    files.map((file) => [file.url, file.kind]),
    [
      ["/sitemap.xml", "index"],
      ["/sitemap-1.xml", "urlset"],
      ["/sitemap-2.xml", "urlset"],
      ["/sitemap-3.xml", "urlset"],
    ],
  );
  assert.equal(files[0]!.kind === "index" && files[0]!.parts, ["/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml"]);
  assert.equal(
    sitemapFileUrls(entries.length, 2),
    files.map((file) => file.url),
    "the URLs without the files",
  );
  assert.equal(sitemapFileUrls(entries.length), ["/sitemap.xml"]);
  assert.equal(
    files.flatMap((file) => (file.kind === "urlset" ? file.entries.map((e) => e.url) : [])),
    entries.map((e) => e.url),
  );
});

Rules("the build time is SOURCE_DATE_EPOCH when set, else now; a malformed one names the variable and the fix", () => {
  assert.equal(buildTimeFrom({ SOURCE_DATE_EPOCH: "1641801600" }), new Date("2022-01-10T08:00:00Z"));
  const now = new Date("2030-05-05T00:00:00Z");
  assert.equal(
    buildTimeFrom({}, () => now),
    now,
  );
  assert.equal(
    buildTimeFrom({ SOURCE_DATE_EPOCH: "" }, () => now),
    now,
  );
  assert.throws(
    () => buildTimeFrom({ SOURCE_DATE_EPOCH: "2022-01-10" }),
    /SOURCE_DATE_EPOCH must be whole seconds since 1970.*got "2022-01-10"; unset it/,
  );
});

Rules.run();

const CommandLine = suite("the build time of `npm run build`");

CommandLine("SOURCE_DATE_EPOCH sets the moment the news sitemap counts back from", () => {
  const output = mkdtempSync(path.join(tmpdir(), "midad-epoch-"));
  try {
    // 28 January 2022, 16:00 in Yerevan: one sample article is from the 48 hours before; the draft of 15:00 stays out.
    const epoch = String(Date.UTC(2022, 0, 28, 12) / 1000);
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "node_modules/@11ty/eleventy/cmd.cjs",
        "--config=.eleventy.ts",
        `--output=${output}`,
        "--quiet",
      ],
      {
        cwd: repoRoot,
        encoding: "utf8",
        timeout: 120_000,
        env: { ...process.env, SOURCE_DATE_EPOCH: epoch },
      },
    );
    assert.is(run.status, 0, run.stderr);
    const urlset = parseXml(readFileSync(path.join(output, "news-sitemap.xml"), "utf8")).documentElement!;
    assert.equal(
      childrenNamed(urlset, sitemap, "url").map((url) => childText(url, sitemap, "loc")),
      [`${origin}/2022/01/armenia-tech-sector-2022/`],
    );
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
});

CommandLine.run();
