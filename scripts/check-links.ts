import path from "node:path";
import { parseArgs } from "node:util";
import site from "../site.config.ts";
import { resolveSiteConfig } from "../src/config.ts";
import { checkLinks, formatLinkProblems } from "../src/link-check.ts";

/**
 * `npm run check:links`: after a build, follows every internal link of every page in `_site/`
 * (href, src, srcset, poster, #fragments) and exits 1, listing each, if any leads nowhere.
 *   npm run check:links [-- --dir _site]
 */
const { values } = parseArgs({ options: { dir: { type: "string", default: "_site" } } });
const config = resolveSiteConfig(site);
const dir = path.resolve(values.dir);
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
