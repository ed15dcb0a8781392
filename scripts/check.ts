import { writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import site from "../site.config.ts";
import { ArticleProblemsError, type Problem } from "../src/articles/problems.ts";
import { ciService, codeQualityReport, workflowCommands } from "../src/build/annotations.ts";
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
 * On GitHub Actions each problem and warning is also a workflow command, shown on the article's line of a pull
 * request; `--report FILE` writes them as a GitLab Code Quality report, which a merge request shows beside the diff
 * (src/build/annotations.ts).
 *   npm run check [-- --articles DIR --report codequality.json --verbose]
 */
const values = readOptions("check", {
  articles: { type: "string", default: "articles" },
  report: { type: "string" },
  verbose: { type: "boolean", default: false },
});
const root = process.cwd();
const started = performance.now();
/** Where reviewers see them: workflow commands on GitHub Actions, the report file when asked for one. */
const annotate = (problems: readonly Problem[], warnings: readonly Problem[]) => {
  if (ciService() === "github") for (const line of workflowCommands(problems, warnings)) console.log(line);
  if (values.report)
    writeFileSync(
      path.resolve(root, values.report),
      `${JSON.stringify(codeQualityReport(problems, warnings), null, 2)}\n`,
    );
};
try {
  const loaded = await loadSite({
    root,
    articlesDir: path.resolve(root, values.articles),
    config: resolveSiteConfig(site),
    includeDrafts: true,
    images: createImagePipeline({ ...defaultImageOptions, cacheDir: path.join(root, ".cache/images") }),
  });
  const elapsed = Math.round(performance.now() - started);
  annotate([], loaded.warnings);
  const warnings = warningList(loaded.warnings);
  const text = reportList(warnings, { dir: path.join(root, listDefaults.reportsDir), root, shown: listDefaults.shown });
  if (warnings.entries.length > 0) console.error(text);
  console.log(`${loaded.articles.length} articles are valid (${elapsed} ms).`);
} catch (error) {
  if (error instanceof ArticleProblemsError) annotate(error.problems, []);
  console.error(describeFailure(error, { verbose: wantsVerbose() }));
  process.exitCode = 1;
}
