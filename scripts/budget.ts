import site from "../site.config.ts";
import { budgetTable, defaultBudget, measureSite, overBudget } from "../src/checks/budget.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { builtSite, readOptions, stop } from "./command-line.ts";

/**
 * `npm run budget`: after a build, a table of every page type (raw, gzip and brotli bytes, requests
 * before first render, image bytes on a phone) and exit 1, listing each, when a page is over budget.
 *   npm run budget [-- --dir _site --width 412 --dpr 1]
 */
const values = readOptions("budget", {
  dir: { type: "string", default: "_site" },
  width: { type: "string", default: "412" },
  dpr: { type: "string", default: "1" },
});
const device = { width: Number(values.width), dpr: Number(values.dpr) };
if (!(device.width > 0) || !(device.dpr > 0)) {
  stop(`--width and --dpr must be positive numbers, got "${values.width}" and "${values.dpr}"`);
}
const config = resolveSiteConfig(site);
const dir = builtSite(values.dir);
const costs = await measureSite({
  dir,
  pathPrefix: config.pathPrefix,
  categorySlugs: config.categories.map((c) => c.slug),
  device,
});
if (costs.length === 0) {
  console.error(`no HTML pages in ${dir}; run \`npm run build\` first`);
  process.exit(1);
}
console.log(
  `${values.dir}: the largest page of each type; images as a phone ${device.width} CSS px wide at ${device.dpr}x fetches them\n`,
);
console.log(budgetTable(costs, defaultBudget));
const problems = overBudget(costs, defaultBudget);
if (problems.length > 0) {
  console.error(`\n${problems.length} over budget:\n${problems.map((line) => `  ${line}`).join("\n")}`);
  process.exitCode = 1;
} else {
  console.log(`\nAll ${costs.length} pages are within budget.`);
}
