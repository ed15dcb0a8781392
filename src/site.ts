import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { prepareArticle, renderArticlePage, type ArticlePage, type PreparedArticle } from "./article-page.ts";
import { validateArticle, type Article } from "./article.ts";
import type { SiteConfig } from "./config.ts";
import { formatArabicDate, type ArticleDate } from "./dates.ts";
import { parseFrontMatter } from "./front-matter.ts";
import type { ImagePipeline } from "./images.ts";
import { createMarkdown } from "./markdown/index.ts";
import { ArticleProblemsError, type Problem } from "./problems.ts";
import { buildSections, type Sections } from "./sections.ts";
import { defaultWarningLimits, photoWarnings, textWarnings, type WarningLimits } from "./warnings.ts";

export type { ArticlePage, LeadImage, Teaser } from "./article-page.ts";

export interface LoadOptions {
  /** Project root: article paths in messages are relative to it. */
  root: string;
  /** Folder holding `**\/*.md` articles. */
  articlesDir: string;
  config: SiteConfig;
  /** Publish `draft: true` articles too (for previews). */
  includeDrafts: boolean;
  /** Turns every photo into published, responsive images. */
  images: ImagePipeline;
  /** The moment of the build: articles dated after it wait for a later build (scheduled publishing). Without it every article is kept, as `npm run check` validates them all. */
  buildTime?: Date;
  /** Leave out the articles that have problems and list the problems in `problems` instead of throwing, so the dev server keeps serving the rest. Default false. */
  keepGoing?: boolean;
  /** When a valid article gets a warning. Default `defaultWarningLimits`. */
  warnings?: WarningLimits;
}

export interface Site extends Sections {
  config: SiteConfig;
  /** The date in Arabic in the site's style; remembered per build, as lists show the same dates on many pages. */
  formatDate(date: ArticleDate): string;
  /** Newest first. */
  articles: ArticlePage[];
  /** Problems of the articles left out; always empty without `keepGoing`, as the problems are thrown instead. */
  problems: Problem[];
  /** What readers will notice in published articles without it stopping the build: a very long title or summary, an oversized photo. */
  warnings: Problem[];
  /** Valid articles dated after the build time, left out of this build, soonest first. */
  scheduled: Pick<Article, "file" | "date">[];
}

/**
 * Reads, validates and renders every article. All problems of all articles are gathered and
 * thrown together as one ArticleProblemsError, before any page is written (or, with `keepGoing`,
 * returned with the site made of the articles without problems).
 */
export async function loadSite(options: LoadOptions): Promise<Site> {
  const { root, articlesDir, config, buildTime } = options;
  const limits = options.warnings ?? defaultWarningLimits;
  const md = createMarkdown({ timeZone: config.timeZone, dateStyle: config.dates, defaultTitle: "التسلسل الزمني" });
  const problems: Problem[] = [];
  const files = await listArticleFiles(articlesDir, root, problems);
  const sources = await Promise.all(files.map((file) => readFile(file, "utf8")));
  // Any problem so far stops the build here; with `keepGoing`, the articles concerned are left out instead.
  const checkpoint = () => {
    if (problems.length > 0 && !options.keepGoing) throw new ArticleProblemsError(problems);
    return new Set(problems.map((problem) => problem.file));
  };

  const prepared: PreparedArticle[] = [];
  const textWarningsOf = new Map<PreparedArticle, Problem[]>();
  files.forEach((articlePath, index) => {
    const file = path.relative(root, articlePath);
    const fm = parseFrontMatter(file, sources[index]!);
    if ("problems" in fm) return void problems.push(...fm.problems);
    const { article, problems: found } = validateArticle(file, fm, config);
    problems.push(...found);
    if (article) {
      const ready = prepareArticle(article, articlePath, md, problems);
      problems.push(...ready.env.problems);
      prepared.push(ready);
      textWarningsOf.set(ready, textWarnings(article, limits, fm.lineOf));
    }
  });
  problems.push(...duplicateUrls(prepared));
  const invalid = checkpoint();

  const valid = prepared.filter((ready) => !invalid.has(ready.article.file));
  const due = (ready: PreparedArticle) => buildTime === undefined || ready.article.date.dateTime.toMillis() <= buildTime.getTime();
  const scheduled = valid.filter((ready) => !due(ready)).map(({ article }) => ({ file: article.file, date: article.date }))
    .sort((a, b) => a.date.dateTime.toMillis() - b.date.dateTime.toMillis() || compareText(a.file, b.file));
  // Images are encoded only once every article is known to be valid, so a typo fails in milliseconds.
  const published = valid.filter((ready) => due(ready) && (options.includeDrafts || !ready.article.draft));
  const rendered = await Promise.all(published.map((ready) => renderArticlePage(ready, md, options.images, problems)));
  checkpoint();

  const shown = published.filter((_, index) => rendered[index] !== undefined);
  const photos = await Promise.all(shown.map(({ article, leadPhoto, env }) => photoWarnings(article.file, [
    ...(leadPhoto ? [{ photo: leadPhoto, field: "image.src", ...(article.image?.line !== undefined && { line: article.image.line }) }] : []),
    ...env.photos.map((photo) => ({ photo, field: "image in body" })),
  ], limits, options.images)));
  const warnings = shown.flatMap((ready, index) => [...textWarningsOf.get(ready)!, ...photos[index]!]);

  const pages = rendered.filter((page): page is ArticlePage => page !== undefined);
  // Code-unit order, not localeCompare: the order must not depend on the build machine's locale.
  const articles = pages.sort((a, b) => b.date.dateTime.toMillis() - a.date.dateTime.toMillis() || compareText(a.slug, b.slug));
  const formatted = new Map<string, string>();
  const formatDate = (date: ArticleDate) => {
    let text = formatted.get(date.iso);
    if (text === undefined) formatted.set(date.iso, (text = formatArabicDate(date, config.dates)));
    return text;
  };
  return { config, formatDate, articles, problems, warnings, scheduled, ...buildSections(articles, config) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function listArticleFiles(articlesDir: string, root: string, problems: Problem[]): Promise<string[]> {
  const entries = await readdir(articlesDir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    const isArticle = entry.name.toLowerCase().endsWith(".md");
    if (entry.isSymbolicLink() && isArticle) {
      problems.push({ file: path.relative(root, full), message: "this article is a symbolic link; articles must be real files inside articles/", fix: "replace the link with the article file itself" });
    } else if (entry.isSymbolicLink() && await stat(full).then((info) => info.isDirectory(), () => false)) {
      // Never followed: its articles would silently be missing from the site, or come from outside the repository.
      problems.push({ file: path.relative(root, full), message: "this folder is a symbolic link; articles must be real files inside articles/", fix: "replace the link with the folder itself" });
    } else if (isArticle && entry.isFile()) {
      files.push(full);
    }
  }
  // Code-unit order: the same on every machine.
  return files.sort();
}

/** Two articles must never be written to one URL: the second would silently replace the first. */
function duplicateUrls(articles: PreparedArticle[]): Problem[] {
  const byUrl = new Map<string, PreparedArticle>();
  const problems: Problem[] = [];
  for (const page of articles) {
    const key = page.url.normalize("NFC").toLowerCase();
    const first = byUrl.get(key);
    if (first) {
      problems.push({ file: page.article.file, field: "slug", message: `${page.url} is also the URL of ${first.article.file}`, fix: "give one of the two articles another file name or a `slug:` line" });
    } else {
      byUrl.set(key, page);
    }
  }
  return problems;
}
