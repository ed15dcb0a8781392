import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHTML } from "linkedom";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { authorUrl } from "../src/site/authors.ts";
import { storyUrl, tagUrl } from "../src/site/collections.ts";
import { type Paging, paginate } from "../src/site/urls.ts";
import { article, removeDir, writeArticles, writeSite } from "./helpers/build.ts";

const Paginate = suite("paginate: listings numbered from the oldest article");

/** A listing of `count` items, newest first: item i is the i-th oldest. */
const listOf = (count: number) => Array.from({ length: count }, (_, index) => count - 1 - index);
const numberedUrl = (k: number) => `/x/page/${k}/`;

/** The pages in the order a reader meets them from the first page, following "show more". */
function followed(pages: Paging<number>[]): Paging<number>[] {
  const byUrl = new Map(pages.map((page) => [page.url, page]));
  const seen: Paging<number>[] = [];
  for (let page = byUrl.get("/x/"); page; page = page.nextUrl ? byUrl.get(page.nextUrl) : undefined) seen.push(page);
  return seen;
}

for (const size of [1, 3]) {
  Paginate(`every item once, the first page holding the newest rest, page size ${size}`, () => {
    for (let count = 0; count <= 3 * size + 1; count++) {
      const pages = paginate(listOf(count), size, "/x/");
      const numbered = Math.max(0, Math.floor(count / size) - 1);
      const at = `${count} items`;
      assert.is(pages.length, numbered + 1, at);
      assert.equal(
        pages.flatMap((page) => page.items).sort((a, b) => a - b),
        listOf(count).reverse(),
        `${at}: every item exactly once`,
      );
      const [first, ...others] = pages;
      assert.is(first!.url, "/x/", at);
      assert.is(first!.number, undefined, at);
      assert.equal(first!.items, listOf(count).slice(0, count - numbered * size), `${at}: the newest, newest first`);
      if (count >= size) assert.ok(first!.items.length >= size && first!.items.length < 2 * size, at);
      assert.is(first!.nextUrl, numbered > 0 ? numberedUrl(numbered) : undefined, `${at}: show more`);
      assert.is(first!.previousUrl, undefined, at);
      for (const page of others) {
        const k = page.number!;
        const oldestFirst = Array.from({ length: size }, (_, index) => (k - 1) * size + index);
        assert.is(page.url, numberedUrl(k), at);
        assert.equal(page.items, oldestFirst.reverse(), `${at}: page ${k} is the k-th chunk from the oldest`);
        assert.is(page.nextUrl, k > 1 ? numberedUrl(k - 1) : undefined, `${at}: page ${k} shows more`);
        assert.is(page.previousUrl, k < numbered ? numberedUrl(k + 1) : "/x/", `${at}: page ${k}'s newer link`);
      }
      assert.equal(
        followed(pages).flatMap((page) => page.items),
        listOf(count),
        `${at}: show more leads through every page, newest to oldest`,
      );
    }
  });
}

Paginate("one more article leaves every numbered page as it was, but the newest one's newer link", () => {
  for (let count = 0; count <= 13; count++) {
    const before = paginate(listOf(count), 3, "/x/");
    const after = new Map(paginate(listOf(count + 1), 3, "/x/").map((page) => [page.url, page]));
    for (const { previousUrl, ...page } of before.slice(1)) {
      const { previousUrl: newer, ...same } = after.get(page.url)!;
      assert.equal(same, page, `${count} + 1 items: ${page.url}`);
      assert.ok(newer === previousUrl || previousUrl === "/x/", `${count} + 1 items: ${page.url}'s newer link`);
    }
  }
});

Paginate.run();

const Rebuild = suite<{ dir: string; work: string }>("a new article changes the first page of its listings alone");

Rebuild.before.each(async (context) => {
  context.work = await mkdtemp(path.join(tmpdir(), "midad-paging-"));
  context.dir = await writeArticles({
    "stories.yaml": 'unrest:\n  title: "أحداث كازاخستان"\n  summary: "القصة من أولها."\n',
  });
});
Rebuild.after.each(async ({ dir, work }) => {
  await removeDir(dir);
  await removeDir(work);
});

/** An article of every listing below, on day `day` of January 2022. */
function addArticle(dir: string, day: number): void {
  const fields = { tags: "[أرمينيا]", author: '"مراسل يريفان"', story: "unrest", summary: `"ملخص ${day}"` };
  const text = article({ title: `"خبر اليوم ${day}"`, date: `2022-01-${String(day).padStart(2, "0")}`, ...fields });
  mkdirSync(path.join(dir, "2022/01"), { recursive: true });
  writeFileSync(path.join(dir, `2022/01/day-${day}.md`), text);
}

const listings = [
  "/politics/",
  tagUrl("أرمينيا"),
  authorUrl("مراسل يريفان"),
  storyUrl("unrest"),
  "/2022/01/",
  "/2022/",
];

Rebuild(
  "numbered pages keep their bytes and their page-cache file; page F changes its newer link once",
  async (context) => {
    const { dir, work } = context;
    const build = async (name: string) => {
      const output = path.join(work, name);
      await writeSite(dir, output, { site: { pageSize: 2 }, storiesFile: path.join(dir, "stories.yaml") });
      const file = (url: string) => path.join(output, url, "index.html");
      return { file, read: (url: string) => readFile(file(url), "utf8") };
    };
    for (let day = 1; day <= 6; day++) addArticle(dir, day);
    const six = await build("six");
    addArticle(dir, 7);
    const seven = await build("seven");
    for (const base of listings) {
      // Six articles, two a page: numbered pages 1 and 2 and a first page of two; then three on the first page.
      for (const url of [`${base}page/1/`, `${base}page/2/`]) {
        assert.is(await seven.read(url), await six.read(url), `${url} has the same bytes`);
        // The same file: the page writer linked it from its cache, under the same key, and rendered nothing.
        assert.is(statSync(seven.file(url)).ino, statSync(six.file(url)).ino, `${url} is the cached page`);
      }
      const first = parseHTML(await seven.read(base)).document;
      assert.is(first.querySelectorAll(".cards > li").length, 3, base);
      assert.is(first.querySelector(".cards h2 a")?.textContent, "خبر اليوم 7", `${base} shows the new article`);
      assert.is(first.querySelector("a.show-more")?.getAttribute("href"), `${base}page/2/`, base);
      assert.not.ok(await seven.read(`${base}page/3/`).catch(() => undefined), `${base} has two numbered pages`);
    }

    addArticle(dir, 8);
    const eight = await build("eight");
    for (const base of listings) {
      // Four on the first page: its oldest two become page 3, the one page that page 2 now calls newer.
      const newest = parseHTML(await eight.read(`${base}page/3/`)).document;
      assert.equal(
        [...newest.querySelectorAll(".cards h2 a")].map((a) => a.textContent),
        ["خبر اليوم 6", "خبر اليوم 5"],
      );
      assert.is(newest.querySelector("a.newer")?.getAttribute("href"), base);
      assert.is(newest.querySelector("a.show-more")?.getAttribute("href"), `${base}page/2/`);
      assert.is(await eight.read(`${base}page/1/`), await six.read(`${base}page/1/`), `${base}page/1/`);
      const [before, after] = await Promise.all([six, eight].map(async (built) => built.read(`${base}page/2/`)));
      const newer = (html: string) => parseHTML(html).document.querySelector("a.newer")?.getAttribute("href");
      assert.is(newer(before!), base);
      assert.is(newer(after!), `${base}page/3/`);
      assert.is(after!.replace(`${base}page/3/`, base), before!, `${base}page/2/ changed its newer link alone`);
    }
  },
);

Rebuild.run();
