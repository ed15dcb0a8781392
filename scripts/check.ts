import path from "node:path";
import { performance } from "node:perf_hooks";
import site from "../site.config.ts";
import { describeFailure, wantsVerbose } from "../src/build/failure.ts";
import { listDefaults, reportList, warningList } from "../src/build/reports.ts";
import { createImagePipeline, defaultImageOptions } from "../src/images/pipeline.ts";
import { resolveSiteConfig } from "../src/site/config.ts";
import { loadSite } from "../src/site/site.ts";
import { readOptions } from "./command-line.ts";

/**
 * `npm run check`: validates every article exactly as the build does, without building pages.
 * Photos go through the image pipeline too (a corrupt photo is a problem); its cache makes this
 * fast after the first build, so it suits a Git pre-commit hook; exits 1 with every problem listed when any article
 * is bad.
 * Drafts and articles dated in the future are checked too. Warnings are printed and exit 0.
 *   npm run check [-- --articles DIR --verbose]
 */
const values = readOptions("check", {
  articles: { type: "string", default: "articles" },
  verbose: { type: "boolean", default: false },
});
const root = process.cwd();
const started = performance.now();
try {
  const loaded = await loadSite({
    root,
    articlesDir: path.resolve(root, values.articles),
    config: resolveSiteConfig(site),
    includeDrafts: true,
    images: createImagePipeline({ ...defaultImageOptions, cacheDir: path.join(root, ".cache/images") }),
  });
  const elapsed = Math.round(performance.now() - started);
  const warnings = warningList(loaded.warnings);
  const text = reportList(warnings, { dir: path.join(root, listDefaults.reportsDir), root, shown: listDefaults.shown });
  if (warnings.entries.length > 0) console.error(text);
  console.log(`${loaded.articles.length} articles are valid (${elapsed} ms).`);
} catch (error) {
  console.error(describeFailure(error, { verbose: wantsVerbose() }));
  process.exitCode = 1;
}
