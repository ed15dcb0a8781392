import site from "../site.config.ts";
import { checkLinks, formatLinkProblems } from "../src/checks/link-check.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { builtSite, readOptions } from "./command-line.ts";

/**
 * `npm run check:links`: after a build, follows every internal link of every page in `_site/`
 * (href, src, srcset, poster, #fragments) and exits 1, listing each, if any leads nowhere.
 *   npm run check:links [-- --dir _site]
 */
const values = readOptions("check:links", { dir: { type: "string", default: "_site" } });
const config = resolveSiteConfig(site);
const dir = builtSite(values.dir);
const result = await checkLinks({ dir, pathPrefix: config.pathPrefix, origin: config.url });
if (result.pages === 0) {
  console.error(`no HTML pages in ${dir}; run \`npm run build\` first`);
  process.exitCode = 1;
} else if (result.problems.length > 0) {
  console.error(formatLinkProblems(result.problems, values.dir));
  process.exitCode = 1;
} else {
  console.log(`${result.links} internal links in ${result.pages} pages all resolve.`);
}
