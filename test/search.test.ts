import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { parseHTML } from "linkedom";
import type { Browser } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import site from "../site.config.ts";
import { searchBudget, searchCost, searchSettled } from "../src/checks/search-cost.ts";
import { headersFor, parseHeaders } from "../src/publish/headers.ts";
import { filesUnder } from "../src/util/walk.ts";
import { axeViolations, launchChromium, serveSite, watchLoad } from "./helpers/browser.ts";
import { removeDir, repoRoot, writeSite } from "./helpers/build.ts";

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

/** Every page Pagefind can show as a result: its fragments, which carry the URL, text, metadata and filters. */
function fragments(output: string): Fragment[] {
  const dir = path.join(output, "pagefind", "fragment");
  return readdirSync(dir).map((name) => {
    const text = gunzipSync(readFileSync(path.join(dir, name))).toString("utf8");
    assert.ok(text.startsWith("pagefind_dcd"), `${name} is a Pagefind fragment`);
    return JSON.parse(text.slice("pagefind_dcd".length)) as Fragment;
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
  }
});

Search(
  "the search page is the only page with a script, and only it and the index get the policy that allows it",
  (context) => {
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
    assert.match(
      policy("/pagefind/pagefind-worker.js"),
      /'wasm-unsafe-eval'/,
      "Pagefind's worker may compile WebAssembly",
    );
  },
);

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
      assert.equal(
        problems,
        [],
        "the page, its script, Pagefind's worker and WebAssembly load under the page's policy",
      );
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
      const entry = (output: string) => statSync(path.join(output, "pagefind", "pagefind-entry.json")).ino;
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

Search.run();
