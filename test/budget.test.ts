import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHTML } from "linkedom";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { generateCorpus, seededRandom } from "../scripts/corpus.ts";
import site from "../site.config.ts";
import {
  budgetTable,
  defaultBudget,
  measureSite,
  overBudget,
  type PageCost,
  pageType,
  scanPage,
} from "../src/checks/budget.ts";
import { chooseCandidate, slotWidth } from "../src/checks/image-choice.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { parseSrcset } from "../src/util/srcset.ts";
import { removeDir, repoRoot, writeSite } from "./helpers/build.ts";

const config = resolveSiteConfig(site);
const categorySlugs = config.categories.map((category) => category.slug);
const phone = { width: 412, dpr: 1 };
const sizes = "(min-width: 60rem) 48rem, (min-width: 44rem) 42rem, calc(100vw - 2rem)";

/** `npm run budget -- --dir DIR` as a child process: its exit code and output. */
const budgetScript = (dir: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/budget.ts", "--dir", dir], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 120_000,
  });

const Rules = suite("what a phone loads");

Rules("the slot sizes gives an image, and the srcset candidate Chromium picks for it", () => {
  assert.is(slotWidth(sizes, 412), 380, "a 412 px phone: the column less its 1rem margins");
  assert.is(slotWidth(sizes, 800), 672);
  assert.is(slotWidth(sizes, 1280), 768);
  assert.is(slotWidth(undefined, 412), 412);
  const srcset = parseSrcset("/a-320.avif 320w, /a-480.avif 480w, /a-640.avif 640w");
  assert.is(chooseCandidate(srcset, 380, 1)?.url, "/a-480.avif", "the smallest at least as wide as the slot");
  assert.is(
    chooseCandidate(srcset, 380, 1.4)?.url,
    "/a-480.avif",
    "below the geometric mean of 1.26x and 1.68x, the smaller",
  );
  assert.is(chooseCandidate(srcset, 380, 1.5)?.url, "/a-640.avif");
  assert.is(chooseCandidate(srcset, 380, 3)?.url, "/a-640.avif", "none is enough: the largest");
  assert.is(chooseCandidate(parseSrcset("/b.jpeg, /b@2x.jpeg 2x"), 380, 2)?.url, "/b@2x.jpeg");
});

Rules(
  "render-blocking requests and the images of a page: <picture> takes its first source, lazy images count too",
  () => {
    const scan = scanPage(
      `<!doctype html><html><head>
<link rel="stylesheet" href="/a.css"><link rel="stylesheet" href="/print.css" media="print"><link rel="icon" href="/logo.png">
<script src="/b.js"></script><script src="/c.js" defer></script><script type="module" src="/d.js"></script>
<style>@import url("/e.css"); p { color: red }</style></head><body>
<picture><source type="image/avif" srcset="/p-320.avif 320w, /p-480.avif 480w" sizes="${sizes}"><img src="/p.jpeg" srcset="/p-320.jpeg 320w, /p-480.jpeg 480w" sizes="${sizes}" alt=""></picture>
<img src="/q.png" alt="" loading="lazy"></body></html>`,
      phone,
    );
    assert.equal(scan.blocking, ["/a.css", "/b.js", "/e.css"]);
    assert.equal(scan.images, ["/logo.png", "/p-480.avif", "/q.png"]);
    assert.equal(scanPage("<!doctype html><style>p{}</style><p>x</p>", phone), { blocking: [], images: [] });
  },
);

Rules("page types from the build's files", () => {
  assert.is(pageType("index.html", categorySlugs), "home");
  assert.is(pageType("404.html", categorySlugs), "404");
  assert.is(pageType("politics/page/2/index.html", categorySlugs), "category");
  assert.is(pageType("2022/01/story/index.html", categorySlugs), "article");
  assert.is(pageType("tags/armynya/index.html", categorySlugs), "category", "a tag's page lists articles");
  assert.is(pageType("2022/01/index.html", categorySlugs), "category", "so does a month's");
  assert.is(pageType("2022/01/page/2/index.html", categorySlugs), "category");
  assert.is(pageType("2022/index.html", categorySlugs), "category");
});

Rules("over budget: each page and figure named; the table shows the largest of each type", () => {
  const cost = (url: string, type: PageCost["type"], brotli: number, requestsBeforeRender = 1): PageCost => ({
    url,
    type,
    raw: brotli * 4,
    gzip: brotli + 500,
    brotli,
    requestsBeforeRender,
    imageBytes: 6_000,
    images: ["/logo.png"],
  });
  const costs = [
    cost("/", "home", 4_000),
    cost("/2022/01/a/", "article", 15_000),
    cost("/2022/01/b/", "article", 5_000, 2),
  ];
  assert.equal(overBudget(costs, defaultBudget), [
    "/2022/01/a/: 15000 B brotli, over 14336 B; trim the page or its stylesheet",
    "/2022/01/b/: 2 requests before first render, over 1; inline the stylesheet, defer scripts",
  ]);
  const table = budgetTable(costs, defaultBudget).split("\n");
  assert.match(table[2]!, /^article\s+2\s+60,000\s+15,500\s+15,000\s+2\s+6,000\s+\/2022\/01\/a\/$/);
  assert.match(table.at(-1)!, /^budget\s+14,336\s+1\s+100,000$/);
});

Rules.run();

const Sites = suite("npm run budget on built sites");

Sites("the sample site: every page type within budget, the table printed", async () => {
  const output = await mkdtemp(path.join(tmpdir(), "midad-budget-"));
  try {
    await writeSite(path.join(repoRoot, "articles"), output, { site });
    const run = budgetScript(output);
    assert.is(run.status, 0, run.stderr + run.stdout);
    for (const type of ["home", "category", "article", "404"])
      assert.match(run.stdout, new RegExp(`^${type}\\s+\\d`, "m"));
    const costs = await measureSite({ dir: output, pathPrefix: "/", categorySlugs, device: phone });
    const lead = costs.find((cost) => cost.images.some((url) => url.endsWith(".avif")));
    assert.ok(lead, "an article's lead photo is counted, as AVIF");
    assert.ok(
      costs.every((cost) => cost.brotli < cost.gzip && cost.gzip < cost.raw && cost.requestsBeforeRender === 1),
    );
  } finally {
    await removeDir(output);
  }
});

Sites("a page over budget makes it exit 1, naming the page", async () => {
  const output = await mkdtemp(path.join(tmpdir(), "midad-budget-over-"));
  try {
    // Text that does not compress: 40,000 random letters are well over 14 KiB even brotli-compressed.
    const letters = [...randomBytes(40_000)].map((byte) => "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"[byte % 28]).join("");
    writeFileSync(
      path.join(output, "index.html"),
      `<!doctype html><html lang="ar"><head><link rel="stylesheet" href="/site.css"></head><body><p>${letters}</p></body></html>`,
    );
    writeFileSync(path.join(output, "site.css"), "p { color: red }");
    const run = budgetScript(output);
    assert.is(run.status, 1, run.stdout);
    assert.match(run.stderr, /\/: \d+ B brotli, over 14336 B/);
    assert.match(run.stderr, "/: 2 requests before first render, over 1");
  } finally {
    await removeDir(output);
  }
});

/**
 * A 1,500-word article from the corpus's own words, drawn in a seeded random order: repeating the
 * generator's paragraphs would let brotli compress the repeats to almost nothing.
 */
function longArticle(corpus: string): string {
  const words = readdirSync(corpus, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith(".md"))
    .flatMap((file) =>
      readFileSync(path.join(corpus, file), "utf8")
        .split(/\n---\n/)[1]!
        .split(/\s+/),
    )
    .filter((word) => /^[\u0600-\u06ff]+[،.]?$/.test(word));
  const next = seededRandom(7);
  const paragraphs: string[] = [];
  for (let count = 0; count < 1500; ) {
    const length = 40 + Math.floor(next() * 40);
    paragraphs.push(`${Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(" ")}.`);
    if (paragraphs.length % 5 === 0) paragraphs.push(`## ${words[Math.floor(next() * words.length)]}`);
    count += length;
  }
  return `---\ntitle: "قراءة مطولة في مستقبل منظمة معاهدة الأمن الجماعي"\ndate: 2024-06-01T10:00\ncategories: [تحليلات, سياسة]\nsummary: "تحليل طويل"\nauthor: "قسم التحليلات"\ntags: [أرمينيا, روسيا]\nimage:\n  src: ./long-read.jpg\n  alt: "صاروخ على منصة الإطلاق"\n  caption: "صورة تعبيرية"\n  credit: "SpaceX / Public domain"\n---\n\n${paragraphs.join("\n\n")}\n`;
}

Sites("a generated corpus with a 1,500-word article: within budget", async () => {
  const work = await mkdtemp(path.join(tmpdir(), "midad-budget-corpus-"));
  try {
    const corpus = path.join(work, "corpus");
    await generateCorpus({ count: 120, out: corpus, images: 0.3 });
    mkdirSync(path.join(corpus, "2024/06"), { recursive: true });
    writeFileSync(path.join(corpus, "2024/06/long-read.md"), longArticle(corpus));
    copyFileSync(
      path.join(repoRoot, "articles/2022/01/baikonur-illustrative-rocket.jpg"),
      path.join(corpus, "2024/06/long-read.jpg"),
    );
    await writeSite(corpus, path.join(work, "site"), { site });

    const run = budgetScript(path.join(work, "site"));
    assert.is(run.status, 0, run.stderr + run.stdout);
    const costs = await measureSite({ dir: path.join(work, "site"), pathPrefix: "/", categorySlugs, device: phone });
    const long = costs.find((cost) => cost.url.endsWith("/long-read/"))!;
    const html = readFileSync(path.join(work, "site", long.url, "index.html"), "utf8");
    const text = parseHTML(html).document.querySelector(".article-body")!.textContent!;
    const words = text.split(/\s+/).filter(Boolean).length;
    assert.ok(words >= 1500, `${words} words`);
    assert.ok(Buffer.byteLength(text) > defaultBudget.brotliBytes, "its text alone is over the budget uncompressed");
    assert.ok(long.brotli <= defaultBudget.brotliBytes, `${long.brotli} B`);
    assert.ok(costs.length > 120);
  } finally {
    await removeDir(work);
  }
});

Sites.run();
