import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseHTML } from "linkedom";
import type { Browser, Page } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkHostLimits, describeOutput, reportOutput } from "../src/build/output-report.ts";
import { launchChromium } from "../src/checks/chromium.ts";
import { searchSettled } from "../src/checks/search-cost.ts";
import { serveSite } from "../src/checks/static-server.ts";
import { contentSecurityPolicy, headersFor, parseHeaders, styleHash } from "../src/publish/headers.ts";
import { type HostName, hostNames, hostProfile } from "../src/site/hosts.ts";
import { filesUnder, listTree } from "../src/util/walk.ts";
import { watchLoad } from "./helpers/browser.ts";
import { article, removeDir, runScript, writeArticles, writeSite } from "./helpers/build.ts";
import { buildTime, newsroomArticles, newsroomSite } from "./helpers/newsroom.ts";

interface Context {
  articles: string;
  /** The sample newsroom built for each host. */
  outputs: Map<HostName, string>;
}

const Profiles = suite<Context>("what the output holds for each host");

Profiles.before(async (context) => {
  context.articles = await writeArticles(await newsroomArticles());
  context.outputs = new Map();
  for (const host of hostNames) {
    const output = await mkdtemp(path.join(tmpdir(), `midad-host-${host}-`));
    await writeSite(context.articles, output, { site: { ...newsroomSite, host }, buildTime });
    context.outputs.set(host, output);
  }
});
Profiles.after(async (context) => {
  await removeDir(context.articles);
  for (const output of context.outputs.values()) await removeDir(output);
});

const filesOf = (context: Context, host: HostName) => filesUnder(context.outputs.get(host)!);
const documentOf = (context: Context, host: HostName, file: string) =>
  parseHTML(readFileSync(path.join(context.outputs.get(host)!, file), "utf8")).document;

Profiles("only nginx and Caddy get .br and .gz siblings, for every page, feed and sitemap", (context) => {
  for (const host of hostNames) {
    const files = filesOf(context, host);
    const texts = files.filter((file) => /\.(html|xml)$/.test(file));
    assert.ok(texts.length > 20, host);
    const siblings = files.filter((file) => /\.(br|gz)$/.test(file));
    if (host === "nginx" || host === "caddy")
      for (const file of texts)
        assert.ok(files.includes(`${file}.br`) && files.includes(`${file}.gz`), `${host}: ${file}`);
    else assert.equal(siblings, [], `${host} compresses on the fly: no siblings`);
  }
});

Profiles("every host but GitHub Pages gets _headers; its pages carry no policy of their own", (context) => {
  for (const host of hostNames) {
    const has = existsSync(path.join(context.outputs.get(host)!, "_headers"));
    assert.is(has, host !== "github-pages", host);
    if (host === "github-pages") continue;
    const policies = documentOf(context, host, "index.html").querySelectorAll(
      'meta[http-equiv="Content-Security-Policy"]',
    );
    assert.is(policies.length, 0, `${host}: the policy travels in the headers`);
  }
});

Profiles(
  "on GitHub Pages every page carries the policy _headers would send, as a meta before its stylesheet",
  (context) => {
    const rules = parseHeaders(readFileSync(path.join(context.outputs.get("cloudflare-pages")!, "_headers"), "utf8"));
    const pages = filesOf(context, "github-pages").filter((file) => file.endsWith(".html"));
    assert.ok(pages.length > 20);
    for (const file of pages) {
      const document = documentOf(context, "github-pages", file);
      const metas = [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')];
      assert.is(metas.length, 1, file);
      const policy = metas[0]!.getAttribute("content")!;
      const style = document.querySelector("head style")!;
      const order = [...document.head.children];
      assert.ok(order.indexOf(metas[0]!) < order.indexOf(style), `${file}: the policy comes before the stylesheet`);
      assert.ok(policy.includes(`'sha256-${styleHash(style.textContent!)}'`), `${file}: its stylesheet is allowed`);
      // The headers' policy for the same URL, less what a meta cannot carry.
      const url = `/${file.replace(/index\.html$/, "")}`;
      const sent = headersFor(rules, url).get("content-security-policy")!;
      assert.is(policy, sent.replace("; frame-ancestors 'none'", ""), file);
      assert.is(policy.includes("script-src"), file === "search/index.html", file);
      assert.is(
        document.querySelector('meta[name="referrer"]')?.getAttribute("content"),
        "strict-origin-when-cross-origin",
      );
    }
    assert.ok(contentSecurityPolicy(["x"]).includes("frame-ancestors 'none'"), "the headers' policy keeps framing out");
  },
);

Profiles("the same pages are published for every host, whatever else the output holds", (context) => {
  const pagesOf = (host: HostName) => filesOf(context, host).filter((file) => file.endsWith(".html"));
  for (const host of hostNames) assert.equal(pagesOf(host), pagesOf("cloudflare-pages"), host);
});

Profiles.run();

const Limits = suite<{ articles: string; output: string; empty: string }>("the output against the host's limits");

Limits.before(async (context) => {
  context.articles = await writeArticles(await newsroomArticles());
  context.output = await mkdtemp(path.join(tmpdir(), "midad-limits-"));
  context.empty = await mkdtemp(path.join(tmpdir(), "midad-limits-none-"));
  await writeSite(context.articles, context.output, { site: newsroomSite, buildTime });
});
Limits.after(async (context) => {
  await removeDir(context.articles);
  await removeDir(context.output);
  await removeDir(context.empty);
});

const folders = { images: "img", search: "pagefind" };

Limits("over a limit the build stops, naming the limit, the counts, what takes most and the fix", (context) => {
  const report = reportOutput(context.output, context.empty, listTree(context.output), folders);
  assert.is(report.files, filesUnder(context.output).length);
  assert.is(report.added, report.files, "nothing was there before");
  const host = hostProfile("cloudflare-pages", { files: Math.floor(report.files / 2) });
  try {
    checkHostLimits(report, host);
    assert.unreachable("an output twice the limit must fail");
  } catch (error) {
    const message = (error as Error).message;
    assert.match(message, `${report.files.toLocaleString("en-US")} files, over the limit of`);
    assert.match(message, "Cloudflare Pages with the hostLimits of site.config.ts", "the limits set, not the plan's");
    assert.match(message, /it holds pages \d+ files/);
    assert.match(message, "hostLimits: { files: 100000 }");
    assert.not.match(message, "the photos alone", "the photos are not what is over");
  }
  const photosHost = hostProfile("github-pages", { bytes: 1000 });
  assert.throws(() => checkHostLimits(report, photosHost), /the photos alone exceed the limit/);
  assert.throws(
    () => checkHostLimits(report, hostProfile("netlify", { fileBytes: 1000 })),
    /is [\d.]+ MB, over the limit/,
  );
});

Limits("past 80% of a limit the build warns, below it says nothing", (context) => {
  const report = reportOutput(context.output, context.empty, listTree(context.output), folders);
  const near = checkHostLimits(report, hostProfile("cloudflare-pages", { files: Math.ceil(report.files / 0.9) }));
  assert.is(near.length, 1);
  assert.match(near[0]!, /90% of the limit of/);
  assert.equal(checkHostLimits(report, hostProfile("cloudflare-pages", { files: report.files * 2 })), []);
  assert.equal(checkHostLimits(report, hostProfile("nginx")), [], "a server of one's own has no limit");
  assert.match(
    describeOutput(report, hostProfile("cloudflare-pages")),
    /^Output: [\d,]+ files, [\d.]+ MB \([\d,]+ added.*files for Cloudflare Pages' free plan\.$/,
  );
  assert.match(describeOutput(report, hostProfile("netlify", { bytes: 2e10 })), /% of 18\.63 GiB for Netlify with/);
});

Limits.run();

const Changes = suite("the build says what it added, changed and removed");

Changes("a second build of the same articles changes nothing; an edited title changes a few files", async () => {
  const articles = await writeArticles({
    "2022/01/one.md": article({ title: '"الخبر الأول"', date: "2022-01-08T10:00" }),
    "2022/01/two.md": article({ title: '"الخبر الثاني"', date: "2022-01-09T10:00" }),
  });
  const parent = await mkdtemp(path.join(tmpdir(), "midad-changes-"));
  const output = path.join(parent, "_site");
  const build = () => {
    const run = runScript("build", ["--output", output, "--articles", articles], {
      env: { SOURCE_DATE_EPOCH: "1641801600" },
    });
    assert.is(run.status, 0, run.stderr);
    const line = /Output: ([\d,]+) files, [\d.]+ MB \(([\d,]+) added, ([\d,]+) changed, ([\d,]+) removed\)/.exec(
      run.stdout,
    );
    assert.ok(line, run.stdout);
    const [files, added, changed, removed] = line!.slice(1).map((n) => Number(n.replaceAll(",", "")));
    return { files: files!, added: added!, changed: changed!, removed: removed! };
  };
  try {
    const first = build();
    assert.is(first.added, first.files);
    const again = build();
    assert.equal([again.added, again.changed, again.removed], [0, 0, 0], "nothing changed");
    writeFileSync(
      path.join(articles, "2022/01/one.md"),
      article({ title: '"الخبر الأول بعنوان جديد"', date: "2022-01-08T10:00" }),
    );
    const edited = build();
    // The page, the listings and feeds that show the title, and the search index's files that hold its words (Pagefind
    // names those by their content, so they are added and removed rather than changed).
    const touched = edited.added + edited.changed + edited.removed;
    assert.ok(edited.changed > 0 && touched < again.files / 2, `a few files changed (${touched} of ${again.files})`);
    assert.is(edited.added, edited.removed, "as many search files added as removed");
  } finally {
    await removeDir(articles);
    await removeDir(parent);
  }
});

Changes.run();

const InBrowser = suite<{ output: string; origin: string; close: () => Promise<void>; browser: Browser }>(
  "a GitHub Pages build in Chromium, with no headers at all",
);

InBrowser.before(async (context) => {
  context.output = await mkdtemp(path.join(tmpdir(), "midad-github-pages-"));
  await writeSite(path.join(import.meta.dirname, "../articles"), context.output, { site: { host: "github-pages" } });
  ({ origin: context.origin, close: context.close } = await serveSite(context.output));
  context.browser = await launchChromium();
});
InBrowser.after(async (context) => {
  await context.browser?.close();
  await context.close?.();
  await removeDir(context.output);
});

InBrowser(
  "the policy in the page lets its stylesheet and the search script work, and nothing else",
  async (context) => {
    // Each page in a page of its own, its problems read before it closes: leaving a page aborts what it still loads.
    const visit = async (url: string, check: (page: Page) => Promise<void>) => {
      const page = await context.browser.newPage({ viewport: { width: 412, height: 915 } });
      try {
        const problems = watchLoad(page);
        const violations: string[] = [];
        await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
        await page.addInitScript(() =>
          document.addEventListener("securitypolicyviolation", (event) =>
            (window as unknown as { reportViolation: (t: string) => void }).reportViolation(
              `${event.violatedDirective} ${event.blockedURI}`,
            ),
          ),
        );
        const response = await page.goto(context.origin + url, { waitUntil: "load" });
        assert.is(
          response?.headers()["content-security-policy"],
          undefined,
          "served without headers, as GitHub Pages does",
        );
        await check(page);
        assert.equal(problems, [], url);
        assert.equal(violations, [], url);
      } finally {
        await page.close();
      }
    };
    await visit("/politics/", async (page) => {
      const rule = await page.evaluate(
        () => getComputedStyle(document.querySelector(".site-header")!).borderBottomWidth,
      );
      assert.is(rule, "3px", "the inline stylesheet applies");
      const skip = await page.evaluate(() => getComputedStyle(document.querySelector(".skip-link")!).position);
      assert.is(skip, "absolute");
    });
    await visit(`/search/?q=${encodeURIComponent("كازاخستان")}`, async (page) => {
      const results = await searchSettled(page);
      assert.ok(results.length > 0, "the search script and Pagefind's WebAssembly run under the page's policy");
    });
  },
);

InBrowser.run();
