import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import site from "../site.config.ts";
import { measureSite, scanPage } from "../src/checks/budget.ts";
import { launchChromium } from "../src/checks/chromium.ts";
import { runLighthouse } from "../src/checks/lighthouse.ts";
import { serveSite } from "../src/checks/static-server.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { axeViolations, watchLoad } from "./helpers/browser.ts";
import { removeDir, repoRoot, writeSite } from "./helpers/build.ts";

interface Context {
  output: string;
  origin: string;
  close: () => Promise<void>;
  browser: Browser;
  /** The largest article page with a lead photo. */
  article: string;
}

const InChromium = suite<Context>("the sample site in headless Chromium");
const phone = { viewport: { width: 412, height: 915 }, deviceScaleFactor: 1 };
const pages = (context: Context) => [
  { name: "home", url: "/", status: 200 },
  { name: "category", url: "/politics/", status: 200 },
  { name: "article", url: context.article, status: 200 },
  { name: "tag", url: "/tags/kazakhstan/", status: 200 },
  { name: "tag index", url: "/tags/", status: 200 },
  { name: "author", url: "/authors/qsm-althlylat/", status: 200 },
  { name: "story", url: "/stories/kazakhstan-unrest-2022/", status: 200 },
  { name: "month", url: "/2022/01/", status: 200 },
  { name: "year", url: "/2022/", status: 200 },
  { name: "search", url: "/search/", status: 200 },
  { name: "404", url: "/no-such-page/", status: 404 },
];

async function withPage<T>(
  context: Context,
  options: BrowserContextOptions,
  use: (page: Page) => Promise<T>,
): Promise<T> {
  const browserContext = await context.browser.newContext(options);
  try {
    return await use(await browserContext.newPage());
  } finally {
    await browserContext.close();
  }
}

InChromium.before(async (context) => {
  context.output = await mkdtemp(path.join(tmpdir(), "midad-browser-"));
  await writeSite(path.join(repoRoot, "articles"), context.output, { site });
  const config = resolveSiteConfig(site);
  const costs = await measureSite({
    dir: context.output,
    pathPrefix: "/",
    categorySlugs: config.categories.map((c) => c.slug),
    device: { width: 412, dpr: 1 },
  });
  context.article = costs
    .filter((cost) => cost.type === "article" && cost.images.some((url) => url.startsWith("/img/")))
    .sort((a, b) => b.brotli - a.brotli)[0]!.url;
  ({ origin: context.origin, close: context.close } = await serveSite(context.output));
  context.browser = await launchChromium();
});
InChromium.after(async (context) => {
  await context.browser?.close();
  await context.close?.();
  await removeDir(context.output);
});

InChromium(
  "home, category, article and 404 load with no failed request, right to left, their stylesheet applied, nothing render-blocking, no font",
  async (context) => {
    for (const { name, url, status } of pages(context)) {
      await withPage(context, phone, async (page) => {
        const problems = watchLoad(page, status === 404 ? context.origin + url : undefined);
        const response = await page.goto(context.origin + url, { waitUntil: "load" });
        assert.is(response?.status(), status, name);
        // No named functions inside: tsx would wrap them in a helper the page does not have.
        const layout = await page.evaluate(() => ({
          direction: getComputedStyle(document.documentElement).direction,
          bodyMargin: getComputedStyle(document.body).marginTop,
          siteNameRight: document.querySelector(".site-name")!.getBoundingClientRect().right,
          width: document.documentElement.clientWidth,
          sections: [...document.querySelectorAll(".sections a")].map((a) => a.getBoundingClientRect().right),
          blocking: performance
            .getEntriesByType("resource")
            .filter(
              (entry) =>
                (entry as PerformanceResourceTiming & { renderBlockingStatus?: string }).renderBlockingStatus ===
                "blocking",
            )
            .map((entry) => entry.name),
        }));
        assert.is(layout.direction, "rtl", name);
        assert.is(layout.bodyMargin, "0px", `${name}: the inline stylesheet applies under the page's CSP`);
        assert.ok(
          layout.siteNameRight > layout.width - 40,
          `${name}: the site name starts at the right edge (${layout.siteNameRight} of ${layout.width})`,
        );
        assert.ok(
          layout.sections.length >= 3 &&
            layout.sections.every((edge, index) => index === 0 || edge < layout.sections[index - 1]!),
          `${name}: the sections run from right to left: ${layout.sections}`,
        );
        assert.equal(layout.blocking, [], `${name}: nothing but the document blocks the first render`);
        assert.equal(problems, [], name);
      });
    }
  },
);

InChromium("axe-core finds no accessibility violations, in light and in dark mode", async (context) => {
  for (const { name, url } of pages(context)) {
    await withPage(context, phone, async (page) => {
      await page.goto(context.origin + url);
      for (const colorScheme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme });
        assert.equal(await axeViolations(page), [], `${name} (${colorScheme})`);
      }
    });
  }
});

InChromium("nothing overflows horizontally on a 320 px screen", async (context) => {
  for (const { name, url } of pages(context)) {
    const widths = await withPage(context, { viewport: { width: 320, height: 640 } }, async (page) => {
      await page.goto(context.origin + url);
      return page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
      }));
    });
    assert.ok(widths.scroll <= widths.client, `${name}: ${widths.scroll} px of content in ${widths.client} px`);
  }
});

InChromium("without JavaScript, show more leads to the older page of a category and back", async (context) => {
  await withPage(context, { ...phone, javaScriptEnabled: false }, async (page) => {
    await page.goto(`${context.origin}/politics/`);
    const firstPage = await page.locator(".cards h2 a").allTextContents();
    await page.click("a.show-more");
    // Numbered from the oldest: the sample's politics articles fill one numbered page, page 1.
    await page.waitForURL(`${context.origin}/politics/page/1/`);
    assert.match((await page.locator("h1").textContent()) ?? "", "الصفحة 1");
    const olderPage = await page.locator(".cards h2 a").allTextContents();
    assert.ok(
      olderPage.length > 0 && olderPage.every((title) => !firstPage.includes(title)),
      "page 1 lists other articles",
    );
    await page.click("a.newer");
    await page.waitForURL(`${context.origin}/politics/`);
  });
});

InChromium("without JavaScript, the skip link reaches the content and back-to-top the top", async (context) => {
  await withPage(context, { ...phone, javaScriptEnabled: false }, async (page) => {
    await page.goto(context.origin + context.article);
    await page.keyboard.press("Tab");
    const skip = page.locator(".skip-link");
    assert.ok(await skip.evaluate((link) => link === document.activeElement), "the skip link is the first stop");
    const box = await skip.boundingBox();
    assert.ok(box && box.y >= 0 && box.y < 915, "and is on screen once focused");
    await page.keyboard.press("Enter");
    assert.is(new URL(page.url()).hash, "#main");
    assert.is(await page.evaluate(() => document.activeElement?.id), "main");

    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    assert.ok((await page.evaluate(() => window.scrollY)) > 500, "a long page, scrolled down");
    await page.click("a.back-to-top");
    await page.waitForFunction(() => window.scrollY === 0);
    assert.is(new URL(page.url()).hash, "#top");
  });
});

InChromium("the lead photo a phone fetches is the one npm run budget counts, at 1x and at 2x", async (context) => {
  const html = readFileSync(path.join(context.output, context.article, "index.html"), "utf8");
  for (const dpr of [1, 2]) {
    const fetched = await withPage(context, { ...phone, deviceScaleFactor: dpr }, async (page) => {
      await page.goto(context.origin + context.article, { waitUntil: "load" });
      return page.locator(".lead-figure img").evaluate((img: HTMLImageElement) => new URL(img.currentSrc).pathname);
    });
    assert.ok(scanPage(html, { width: 412, dpr }).images.includes(fetched), `at ${dpr}x Chromium fetched ${fetched}`);
  }
});

InChromium("printed, a page leaves out the navigation and is black on white, even in dark mode", async (context) => {
  await withPage(context, { ...phone, colorScheme: "dark" }, async (page) => {
    await page.goto(context.origin + context.article);
    await page.emulateMedia({ media: "print" });
    const printed = await page.evaluate(() => ({
      sections: getComputedStyle(document.querySelector(".sections")!).display,
      backToTop: getComputedStyle(document.querySelector(".back-to-top")!).display,
      text: getComputedStyle(document.body).color,
      background: getComputedStyle(document.documentElement).backgroundColor,
    }));
    assert.equal(printed, {
      sections: "none",
      backToTop: "none",
      text: "rgb(0, 0, 0)",
      background: "rgb(255, 255, 255)",
    });
  });
});

InChromium(
  "Lighthouse (mobile defaults) on the article page: accessibility 100, CLS 0, performance at least 95",
  async (context) => {
    const summary = await runLighthouse(context.origin + context.article);
    const figures = JSON.stringify(summary);
    assert.is(summary.accessibility, 100, figures);
    assert.is(summary.cls, 0, figures);
    // 100 on a quiet machine; a loaded one slows the observed CPU work that Lighthouse's simulation scales up.
    assert.ok(summary.performance >= 95, figures);
    assert.ok(summary.lcpMs < 2500, figures);
  },
);

InChromium.run();
