import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import site from "../site.config.ts";
import { resolveSiteConfig } from "../src/config.ts";
import { ArticleProblemsError } from "../src/problems.ts";
import { loadSite } from "../src/site.ts";

/**
 * `npm run check`: validates every article exactly as the build does, without building.
 * Fast enough for a Git pre-commit hook; exits 1 with every problem listed when any article is bad.
 *   npm run check [-- --articles DIR]
 */
const { values } = parseArgs({ options: { articles: { type: "string", default: "articles" } } });
const root = process.cwd();
const started = performance.now();
try {
  const loaded = await loadSite({ root, articlesDir: path.resolve(root, values.articles), config: resolveSiteConfig(site), includeDrafts: true });
  const elapsed = Math.round(performance.now() - started);
  console.log(`${loaded.articles.length} articles are valid (${elapsed} ms).`);
} catch (error) {
  if (!(error instanceof ArticleProblemsError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
