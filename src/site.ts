import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { prepareArticle, renderArticlePage, type ArticlePage, type PreparedArticle } from "./article-page.ts";
import { validateArticle } from "./article.ts";
import type { SiteConfig } from "./config.ts";
import { formatArabicDate, type ArticleDate } from "./dates.ts";
import { parseFrontMatter } from "./front-matter.ts";
import type { ImagePipeline } from "./images.ts";
import { createMarkdown } from "./markdown/index.ts";
import { ArticleProblemsError, type Problem } from "./problems.ts";
import { buildSections, type Sections } from "./sections.ts";

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
}

export interface Site extends Sections {
  config: SiteConfig;
  /** The date in Arabic in the site's style; remembered per build, as lists show the same dates on many pages. */
  formatDate(date: ArticleDate): string;
  /** Newest first. */
  articles: ArticlePage[];
}

/**
 * Reads, validates and renders every article. All problems of all articles are gathered and
 * thrown together as one ArticleProblemsError, before any page is written.
 */
export async function loadSite(options: LoadOptions): Promise<Site> {
  const { root, articlesDir, config } = options;
  const md = createMarkdown({ timeZone: config.timeZone, dateStyle: config.dates, defaultTitle: "التسلسل الزمني" });
  const problems: Problem[] = [];
  const files = await listArticleFiles(articlesDir, root, problems);
  const sources = await Promise.all(files.map((file) => readFile(file, "utf8")));

  const prepared: PreparedArticle[] = [];
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
    }
  });
  problems.push(...duplicateUrls(prepared));
  if (problems.length > 0) throw new ArticleProblemsError(problems);

  // Images are encoded only once every article is known to be valid, so a typo fails in milliseconds.
  const published = prepared.filter((ready) => options.includeDrafts || !ready.article.draft);
  const rendered = await Promise.all(published.map((ready) => renderArticlePage(ready, md, options.images, problems)));
  if (problems.length > 0) throw new ArticleProblemsError(problems);

  const pages = rendered.filter((page): page is ArticlePage => page !== undefined);
  const articles = pages.sort((a, b) => b.date.dateTime.toMillis() - a.date.dateTime.toMillis() || a.slug.localeCompare(b.slug));
  const formatted = new Map<string, string>();
  const formatDate = (date: ArticleDate) => {
    let text = formatted.get(date.iso);
    if (text === undefined) formatted.set(date.iso, (text = formatArabicDate(date, config.dates)));
    return text;
  };
  return { config, formatDate, articles, ...buildSections(articles, config) };
}

async function listArticleFiles(articlesDir: string, root: string, problems: Problem[]): Promise<string[]> {
  const entries = await readdir(articlesDir, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.name.toLowerCase().endsWith(".md")) continue;
    const full = path.join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) {
      problems.push({ file: path.relative(root, full), message: "this article is a symbolic link; articles must be real files inside articles/", fix: "replace the link with the article file itself" });
    } else if (entry.isFile()) {
      files.push(full);
    }
  }
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
