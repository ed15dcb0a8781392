import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import Eleventy from "@11ty/eleventy";
import { parseHTML } from "linkedom";
import type { Browser } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { midad } from "../.eleventy.ts";
import type { EleventyConfig } from "../plugins/eleventy.ts";
import type { PagesWritten } from "../plugins/pages.ts";
import site from "../site.config.ts";
import { launchChromium } from "../src/checks/chromium.ts";
import { searchBudget, searchCost, searchSettled } from "../src/checks/search-cost.ts";
import { serveSite } from "../src/checks/static-server.ts";
import { headersFor, parseHeaders } from "../src/publish/headers.ts";
import type { ShardEntry } from "../src/publish/search-index.ts";
import { filesUnder } from "../src/util/walk.ts";
import { axeViolations, watchLoad } from "./helpers/browser.ts";
import { assertSameTree, removeDir, repoRoot, snapshot, testImageCache, writeSite } from "./helpers/build.ts";

interface Fragment {
  url: string;
  content: string;
  meta: Record<string, string>;
  filters: Record<string, string[]>;
}

interface Context {
  output: string;
  origin: string;
  close: () => Promise<void>;
  browser: Browser;
}

const articlePage = /^\d{4}\/\d{2}\/[^/]+\/index\.html$/;
const htmlOf = (context: Context, file: string) => readFileSync(path.join(context.output, file), "utf8");
const documentOf = (context: Context, file: string) => parseHTML(htmlOf(context, file)).document;

/** The index's shards, newest first, as the search page reads them. */
function shardsOf(output: string): ShardEntry[] {
  return JSON.parse(readFileSync(path.join(output, "pagefind", "shards.json"), "utf8")) as ShardEntry[];
}

/** Every page Pagefind can show as a result, shard by shard: its fragments carry the URL, text, metadata and filters. */
function fragments(output: string, shard?: ShardEntry): Fragment[] {
  return (shard ? [shard] : shardsOf(output)).flatMap((entry) => {
    const dir = path.join(output, "pagefind", entry.path, "fragment");
    return readdirSync(dir).map((name) => {
      const text = gunzipSync(readFileSync(path.join(dir, name))).toString("utf8");
      assert.ok(text.startsWith("pagefind_dcd"), `${name} is a Pagefind fragment`);
      return JSON.parse(text.slice("pagefind_dcd".length)) as Fragment;
    });
  });
}

const Search = suite<Context>("search: the Pagefind index and the search page");

Search.before(async (context) => {
  context.output = await mkdtemp(path.join(tmpdir(), "midad-search-"));
  await writeSite(path.join(repoRoot, "articles"), context.output, { site });
  ({ origin: context.origin, close: context.close } = await serveSite(context.output));
  context.browser = await launchChromium();
});
Search.after(async (context) => {
  await context.browser?.close();
  await context.close?.();
  await removeDir(context.output);
});

Search("the index holds every article page, with its title, date and sections, and no listing page", (context) => {
  const articles = filesUnder(context.output).filter((file) => articlePage.test(file));
  assert.ok(articles.length >= 20, `the sample has its articles (${articles.length})`);
  const indexed = fragments(context.output);
  assert.equal(
    indexed.map((fragment) => fragment.url).sort(),
    articles.map((file) => `/${file.replace(/index\.html$/, "")}`).sort(),
  );
  for (const fragment of indexed) {
    const doc = documentOf(context, `${fragment.url.slice(1)}index.html`);
    assert.is(fragment.meta.title, doc.querySelector("h1")!.textContent, fragment.url);
    assert.is(fragment.meta.date, doc.querySelector(".dates time")!.textContent, fragment.url);
    assert.equal(
      fragment.filters.category?.sort(),
      [...doc.querySelectorAll(".article-categories a")].map((a) => a.textContent).sort(),
      fragment.url,
    );
    assert.not.ok(fragment.content.includes("مدة القراءة"), `${fragment.url}: the reading time is not indexed`);
    const sections = [...doc.querySelectorAll(".article-categories a")].map((a) => a.textContent).join(". ");
    assert.not.ok(
      fragment.content.startsWith(sections),
      `${fragment.url}: the sections are a filter, not its first words`,
    );
  }
});

Search("the search page is the only page with a script, and only it gets the policy that allows it", (context) => {
  const rules = parseHeaders(htmlOf(context, "_headers"));
  const policy = (url: string) => headersFor(rules, url).get("content-security-policy") ?? "";
  for (const file of filesUnder(context.output).filter((name) => name.endsWith(".html"))) {
    const scripts = [...documentOf(context, file).querySelectorAll("script")].filter(
      (script) => script.getAttribute("type") !== "application/ld+json",
    );
    const url = `/${file.replace(/index\.html$/, "")}`;
    if (file === "search/index.html") {
      assert.is(scripts.length, 1, "the search page loads its script");
      assert.match(scripts[0]!.getAttribute("src")!, /^\/assets\/search-[0-9a-f]+\.js$/);
      assert.match(policy(url), /script-src 'self' 'wasm-unsafe-eval'/);
    } else {
      assert.equal(
        scripts.map((script) => script.outerHTML),
        [],
        file,
      );
      assert.not.match(policy(url), /script-src/, `${url} keeps the policy without scripts`);
      assert.match(policy(url), /^default-src 'none'/, url);
    }
  }
  const shard = shardsOf(context.output)[0]!.path;
  assert.not.match(policy(`/pagefind/${shard}pagefind.js`), /script-src/, "the index's files keep the strict policy");
  assert.not.ok(existsSync(path.join(context.output, "pagefind", shard, "pagefind-worker.js")), "no worker");
});

Search("every page's header links to the search page", (context) => {
  for (const file of ["index.html", "404.html", "politics/index.html", "tags/index.html", "2022/01/index.html"])
    assert.is(documentOf(context, file).querySelector("header a.search-link")?.getAttribute("href"), "/search/", file);
});

Search(
  "without JavaScript the search page says so and offers the sections, tags, authors and yearly archives",
  async (context) => {
    const page = await context.browser.newPage({ javaScriptEnabled: false });
    try {
      await page.goto(`${context.origin}/search/`);
      assert.not.ok(await page.locator(".search-form").isVisible(), "the form that cannot work is hidden");
      const links = await page.locator(".search-fallback a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      for (const url of ["/politics/", "/analysis/", "/tags/", "/authors/", "/stories/", "/2022/"])
        assert.ok(links.includes(url), `${url} among ${links}`);
      assert.is(new Set(links).size, links.length, `each link once: ${links}`);
      assert.not.ok(
        links.some((url) => url?.includes("/page/")),
        `each year by its first page: ${links}`,
      );
      assert.match((await page.locator(".search-fallback").textContent()) ?? "", /JavaScript/);
    } finally {
      await page.close();
    }
  },
);

const expected = {
  pashinyan: "/2022/01/csto-peacekeepers-kazakhstan-pashinyan/",
  parliament: "/2022/01/armenian-parliament-csto-debate/",
};

Search(
  "Arabic queries find what a reader means: without hamza, with diacritics, with Eastern digits, with or without ال",
  async (context) => {
    const page = await context.browser.newPage();
    const problems = watchLoad(page);
    const run = async (query: string) => {
      await page.goto(`${context.origin}/search/?q=${encodeURIComponent(query)}`);
      return searchSettled(page);
    };
    try {
      for (const [query, url] of [
        ["ارمينيا", expected.parliament],
        ["أرمينيا", expected.parliament],
        ["البرلمان الارميني", expected.parliament],
        ["جُنْدِيّ", expected.pashinyan],
        ["١٠٠ جندي", expected.pashinyan],
        ["100 جندي", expected.pashinyan],
        ["قوات", "/2022/01/csto-withdrawal-completed/"],
        ["القوات", expected.pashinyan],
      ] as const) {
        const found = await run(query);
        assert.ok(found.includes(url), `"${query}" finds ${url}: ${found.join(" ")}`);
      }
      assert.equal(await run("zqxwvkj"), [], "a word no article has finds nothing");
      assert.match((await page.locator(".search-status").textContent()) ?? "", /لا نتائج/);
      assert.equal(problems, [], "the page, its script, Pagefind and its WebAssembly load under the page's policy");
    } finally {
      await page.close();
    }
  },
);

Search("results are right to left, newest first when asked, filtered by section, and pass axe", async (context) => {
  const page = await context.browser.newPage({ viewport: { width: 320, height: 640 } });
  try {
    await page.goto(`${context.origin}/search/?q=${encodeURIComponent("كازاخستان")}`);
    const best = await searchSettled(page);
    assert.ok(best.length === 10, `a first page of ten results (${best.length})`);
    assert.match((await page.locator(".search-status").textContent()) ?? "", /\d+ نتيجة|نتائج/);
    assert.is(await page.locator(".search-results").evaluate((list) => getComputedStyle(list).direction), "rtl");
    assert.equal(await axeViolations(page), []);
    await page.locator(".search-more button").click();
    await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 10);

    await page.selectOption("#search-sort", "newest");
    const newest = await searchSettled(page);
    const times = await Promise.all(
      newest.map(async (url) => {
        const doc = documentOf(context, `${url.slice(1)}index.html`);
        return Date.parse(doc.querySelector(".dates time")!.getAttribute("datetime")!);
      }),
    );
    assert.equal(
      times,
      [...times].sort((a, b) => b - a),
      "newest first",
    );
    assert.match(page.url(), /sort=newest/, "the choice is in the address");

    await page.selectOption("#search-category", { label: "تحليلات" });
    const analysis = await searchSettled(page);
    assert.ok(analysis.length > 0 && analysis.length < best.length + 1);
    for (const url of analysis)
      assert.ok(
        [...documentOf(context, `${url.slice(1)}index.html`).querySelectorAll(".article-categories a")].some(
          (a) => a.textContent === "تحليلات",
        ),
        `${url} is in تحليلات`,
      );
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
      "nothing overflows at 320 px",
    );
  } finally {
    await page.close();
  }
});

Search("a first and a second query download less than their budgets", async (context) => {
  const page = await context.browser.newPage();
  try {
    const cost = await searchCost(page, context.origin, ["أرمينيا", "قمة"]);
    assert.ok(cost.results[0].length > 0 && cost.results[1].length > 0, "both queries found articles");
    assert.ok(cost.first <= searchBudget.firstQuery, `first query: ${cost.first} B of ${searchBudget.firstQuery}`);
    assert.ok(cost.second <= searchBudget.nextQuery, `second query: ${cost.second} B of ${searchBudget.nextQuery}`);
    assert.ok(cost.second < cost.first / 2, "the second query reuses the script, the worker and the WebAssembly");
  } finally {
    await page.close();
  }
});

Search(
  "a rebuild whose article pages did not change links the same index; an edited article builds a new one",
  async () => {
    const articles = await mkdtemp(path.join(tmpdir(), "midad-search-articles-"));
    const outputs = await Promise.all([1, 2, 3].map(() => mkdtemp(path.join(tmpdir(), "midad-search-out-"))));
    const article = (body: string) =>
      `---\ntitle: "خبر عن الانتخابات"\ndate: 2022-01-08\ncategories: [politics]\nsummary: "ملخص"\n---\n\n${body}\n`;
    try {
      await writeFile(path.join(articles, "news.md"), article("جرت الانتخابات في موعدها."));
      await writeSite(articles, outputs[0]!);
      await writeSite(articles, outputs[1]!);
      const entry = (output: string) =>
        statSync(path.join(output, "pagefind", shardsOf(output)[0]!.path, "pagefind-entry.json")).ino;
      assert.is(entry(outputs[1]!), entry(outputs[0]!), "the second build links the first build's index");
      await writeFile(path.join(articles, "news.md"), article("تأجلت الانتخابات أسبوعًا."));
      await writeSite(articles, outputs[2]!);
      assert.is.not(entry(outputs[2]!), entry(outputs[0]!), "an edit builds the index again");
      assert.ok(fragments(outputs[2]!)[0]!.content.includes("تأجلت"), "with the edited text");
    } finally {
      await Promise.all([articles, ...outputs].map(removeDir));
    }
  },
);

Search(
  "an edit's shard is built from the kept folder of its pages, put right where it was changed, or from its own while another holds it",
  async () => {
    const articles = await mkdtemp(path.join(tmpdir(), "midad-search-pages-"));
    const outputs = await Promise.all([1, 2, 3, 4].map(() => mkdtemp(path.join(tmpdir(), "midad-search-out-"))));
    const pages = path.join(repoRoot, ".cache", "search", "pages", "0");
    const story = (body: string) =>
      `---\ntitle: "خبر عن الموانئ"\ndate: 2022-01-09\ncategories: [politics]\nsummary: "ملخص"\n---\n\n${body}\n`;
    const folderOf = (file: string) => statSync(path.dirname(path.join(pages, file))).ino;
    try {
      await cp(path.join(repoRoot, "articles"), articles, { recursive: true });
      await writeFile(path.join(articles, "ports.md"), story("فتحت الموانئ أبوابها."));
      await writeSite(articles, outputs[0]!);
      const [first, second] = filesUnder(pages);
      assert.ok(first && second && first !== second, "the shard's pages are kept in the cache");
      const before = folderOf(first);
      await writeFile(path.join(articles, "ports.md"), story("أغلقت الموانئ أبوابها."));
      // Put wrong by hand: a page replaced, a stray page.
      await rm(path.join(pages, second));
      await writeFile(path.join(pages, second), "<html><body data-pagefind-body>غريب</body></html>");
      await mkdir(path.join(pages, "stray"));
      await writeFile(path.join(pages, "stray", "index.html"), "<html><body data-pagefind-body>غريب</body></html>");
      await writeSite(articles, outputs[1]!);
      assert.is(folderOf(first), before, "an unchanged page's folder stays");
      assert.not.ok(existsSync(path.join(pages, "stray")), "what is not a page of the shard goes");
      await rm(path.join(repoRoot, ".cache", "search"), { recursive: true });
      await writeSite(articles, outputs[2]!);
      assertSameTree(
        snapshot(path.join(outputs[1]!, "pagefind")),
        snapshot(path.join(outputs[2]!, "pagefind")),
        "kept",
      );
      assert.ok(
        fragments(outputs[1]!).some((fragment) => fragment.content.includes("أغلقت")),
        "with the edited text",
      );
      // Held by a running process (this one, as far as the lock can tell): the build uses a folder of its own.
      await writeFile(path.join(articles, "ports.md"), story("أعيد فتح الموانئ."));
      await writeFile(`${pages}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), started: "" }));
      const held = folderOf(first);
      await writeSite(articles, outputs[3]!);
      assert.is(folderOf(first), held, "the held folder is left alone");
      assert.ok(existsSync(`${pages}.lock`), "and so is its lock");
      assert.ok(
        fragments(outputs[3]!).some((fragment) => fragment.content.includes("أعيد")),
        "the index is right",
      );
    } finally {
      await rm(`${pages}.lock`, { force: true });
      await Promise.all([articles, ...outputs].map(removeDir));
    }
  },
);

Search(
  "a rebuild into the last index's folder leaves its unchanged shards in place, and puts right what was changed in them",
  async () => {
    const outputs = await Promise.all([1, 2].map(() => mkdtemp(path.join(tmpdir(), "midad-search-out-"))));
    const [kept, clean] = outputs as [string, string];
    const articles = path.join(repoRoot, "articles");
    try {
      await writeSite(articles, kept);
      const shard = path.join(kept, "pagefind", shardsOf(kept)[0]!.path);
      // Linking a file again changes its inode's change time; leaving it in place does not.
      const changed = () => statSync(path.join(shard, "pagefind-entry.json"), { bigint: true }).ctimeNs;
      const before = changed();
      await writeSite(articles, kept);
      assert.is(changed(), before, "the shard's files were not linked again");
      await writeSite(articles, clean);
      await rm(path.join(shard, "pagefind.js"));
      await writeFile(path.join(shard, "pagefind.js"), "// changed by hand");
      await writeFile(path.join(shard, "stray.txt"), "left here");
      await mkdir(path.join(kept, "pagefind", "old-shard"));
      await writeFile(path.join(kept, "pagefind", "old-shard", "pagefind-entry.json"), "{}");
      await writeSite(articles, kept);
      assertSameTree(snapshot(path.join(kept, "pagefind")), snapshot(path.join(clean, "pagefind")), "the index");
    } finally {
      await Promise.all(outputs.map(removeDir));
    }
  },
);

Search(
  "a large archive is searched in shards, newest first: a new article changes the newest shard only, and older years are one click away",
  async (context) => {
    const output = await mkdtemp(path.join(tmpdir(), "midad-search-shards-"));
    const page = await context.browser.newPage();
    const served = await serveSite(output);
    try {
      await writeSite(path.join(repoRoot, "articles"), output, { site, shardSize: 3, shardsPerStep: 2 });
      const shards = shardsOf(output);
      const articles = filesUnder(output).filter((file) => articlePage.test(file)).length;
      assert.is(shards.length, Math.ceil(articles / 3));
      assert.is(
        shards.reduce((sum, shard) => sum + shard.pages, 0),
        articles,
      );
      assert.ok(shards.every((shard) => shard.pages <= 3));
      // Shards hold consecutive articles, oldest first, so the newest one is the only partial one.
      assert.ok(shards.slice(1).every((shard) => shard.pages === 3));
      const dateOf = (url: string) =>
        Date.parse(
          documentOf({ ...context, output }, `${url.slice(1)}index.html`)
            .querySelector(".dates time")!
            .getAttribute("datetime")!,
        );
      const newestOf = (shard: ShardEntry) => Math.max(...fragments(output, shard).map((f) => dateOf(f.url)));
      const oldestOf = (shard: ShardEntry) => Math.min(...fragments(output, shard).map((f) => dateOf(f.url)));
      for (const [index, shard] of shards.slice(1).entries())
        assert.ok(newestOf(shard) <= oldestOf(shards[index]!), `${shard.path} is older than the shard before it`);

      await page.goto(`${served.origin}/search/?q=${encodeURIComponent("كازاخستان")}&sort=newest`);
      const first = await searchSettled(page);
      const step = 2;
      const inNewest = new Set(shards.slice(0, step).flatMap((shard) => fragments(output, shard).map((f) => f.url)));
      assert.ok(
        first.length > 0 && first.every((url) => inNewest.has(url)),
        `the newest ${step} shards are searched first`,
      );
      assert.match((await page.locator(".search-status").textContent()) ?? "", /في مقالات/);
      assert.ok(await page.locator(".search-older button").isVisible(), "with a way to search older articles");
      for (let click = 1; click < Math.ceil(shards.length / step); click++) {
        await page.locator(".search-older button").click();
        await searchSettled(page);
      }
      while (await page.locator(".search-more button").isVisible()) {
        const before = await page.locator(".search-result").count();
        await page.locator(".search-more button").click();
        await page.waitForFunction((n) => document.querySelectorAll(".search-result").length > n, before);
      }
      const all = await page.locator(".search-result a").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
      const times = all.map(dateOf);
      assert.ok(all.length > first.length, `every shard searched: ${all.length} results`);
      assert.equal(
        times,
        [...times].sort((a, b) => b - a),
        "newest first across shards",
      );
      assert.is(new Set(all).size, all.length, "each article once");
      assert.not.ok(await page.locator(".search-older").isVisible(), "nothing older left");
    } finally {
      await page.close();
      await served.close();
      await removeDir(output);
    }
  },
);

Search("under a path prefix, the search page loads its index and links its results there", async (context) => {
  const output = await mkdtemp(path.join(tmpdir(), "midad-search-prefix-"));
  const served = await serveSite(output, "/news/");
  const page = await context.browser.newPage();
  const problems = watchLoad(page);
  try {
    await writeSite(path.join(repoRoot, "articles"), output, { site: { ...site, pathPrefix: "/news/" } });
    await page.goto(`${served.origin}/news/search/?q=${encodeURIComponent("أرمينيا")}`);
    const found = await searchSettled(page);
    assert.ok(found.includes(`/news${expected.parliament}`), found.join(" "));
    assert.ok(
      found.every((url) => url.startsWith("/news/20")),
      found.join(" "),
    );
    assert.equal(problems, []);
  } finally {
    await page.close();
    await served.close();
    await removeDir(output);
  }
});

Search(
  "the index starts once every article page is in the page cache, before the other pages are written",
  async () => {
    const output = await mkdtemp(path.join(tmpdir(), "midad-search-early-"));
    const seen: { sources: boolean; listing: boolean }[] = [];
    const config = midad({
      articlesDir: path.join(repoRoot, "articles"),
      site,
      root: repoRoot,
      images: { cacheDir: testImageCache },
    });
    const eleventy = new Eleventy("templates", output, {
      quietMode: true,
      config: (eleventyConfig: EleventyConfig) => {
        eleventyConfig.on("midad.articlePages", ({ articlePages }: PagesWritten) => {
          seen.push({
            sources: articlePages.length > 0 && articlePages.every((page) => existsSync(page.source)),
            listing: existsSync(path.join(output, "politics", "index.html")),
          });
        });
        return config(eleventyConfig);
      },
    });
    try {
      await eleventy.write();
      assert.equal(seen, [{ sources: true, listing: false }], "once, from the cache, before the section's page");
      assert.ok(existsSync(path.join(output, "politics", "index.html")), "the section's page is written after");
      assert.ok(shardsOf(output).length > 0, "and the index is there when the build is done");
    } finally {
      await removeDir(output);
    }
  },
);

Search.run();
