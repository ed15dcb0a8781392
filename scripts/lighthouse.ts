import type { AddressInfo } from "node:net";
import site from "../site.config.ts";
import { measureSite } from "../src/checks/budget.ts";
import { runLighthouse } from "../src/checks/lighthouse.ts";
import { createStaticServer } from "../src/checks/static-server.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { builtSite, readOptions } from "./command-line.ts";

/**
 * `npm run lighthouse`: serves a build as `npm run serve:dist` does and runs Lighthouse on an article
 * page (by default the largest, brotli-compressed) with its mobile defaults; prints the figures the
 * README records and exits 1 when one misses its target (performance 100, accessibility 100, CLS 0).
 *   npm run lighthouse [-- --dir _site --page /2022/01/some-article/]
 */
const values = readOptions("lighthouse", { dir: { type: "string", default: "_site" }, page: { type: "string" } });
const config = resolveSiteConfig(site);
const dir = builtSite(values.dir);
const articles = (
  await measureSite({
    dir,
    pathPrefix: config.pathPrefix,
    categorySlugs: config.categories.map((c) => c.slug),
    device: { width: 412, dpr: 1 },
  })
)
  .filter((cost) => cost.type === "article")
  .sort((a, b) => b.brotli - a.brotli);
const page = values.page ?? articles[0]?.url;
if (!page) {
  console.error(`no article pages in ${dir}; run \`npm run build\` first`);
  process.exit(1);
}
const server = createStaticServer({ dir, pathPrefix: config.pathPrefix });
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
try {
  const summary = await runLighthouse(`http://127.0.0.1:${(server.address() as AddressInfo).port}${page}`);
  console.log(`Lighthouse ${summary.lighthouseVersion}, mobile defaults, ${page}`);
  console.log(
    `performance ${summary.performance}, accessibility ${summary.accessibility}, LCP ${(summary.lcpMs / 1000).toFixed(2)} s, CLS ${summary.cls}, total ${summary.totalBytes.toLocaleString("en-US")} B`,
  );
  if (summary.shortfalls.length > 0)
    console.log(`not in full:\n${summary.shortfalls.map((line) => `  ${line}`).join("\n")}`);
  if (summary.performance < 100 || summary.accessibility < 100 || summary.cls > 0) process.exitCode = 1;
} finally {
  server.close();
}
