import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { validateArticle, type Article } from "./article.ts";
import type { Category, SiteConfig } from "./config.ts";
import { formatArabicDate, type ArticleDate } from "./dates.ts";
import { parseFrontMatter } from "./front-matter.ts";
import { createMarkdown, createMarkdownEnv } from "./markdown/index.ts";
import { measurePhoto, resolvePhoto, type PhotoRef } from "./photos.ts";
import { ArticleProblemsError, type Problem } from "./problems.ts";
import { buildSections, type Sections } from "./sections.ts";

export interface LoadOptions {
  /** Project root: article paths in messages are relative to it. */
  root: string;
  /** Folder holding `**\/*.md` articles. */
  articlesDir: string;
  config: SiteConfig;
  /** Publish `draft: true` articles too (for previews). */
  includeDrafts: boolean;
}

/** A photo as published: where it comes from, where it goes, and its size for layout. */
export interface PublishedPhoto extends PhotoRef {
  url: string;
  width: number;
  height: number;
}

/** What a list of articles shows of each: enough for a card, without the body. */
export interface Teaser {
  url: string;
  title: string;
  summary?: string;
  date: ArticleDate;
  categories: Category[];
  draft: boolean;
}

export interface ArticlePage extends Article, Teaser {
  /** The body, rendered. */
  html: string;
  lead?: PublishedPhoto & { alt: string; caption?: string; credit?: string };
  /** Every photo the page uses, to publish next to it. */
  photos: PublishedPhoto[];
  related: Teaser[];
  /** 1200x630 JPEG for `og:image`, made from the lead photo by the image pipeline; absent without a lead photo. */
  socialCard?: { url: string; width: number; height: number };
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

  const pages: ArticlePage[] = [];
  files.forEach((articlePath, index) => {
    const file = path.relative(root, articlePath);
    const fm = parseFrontMatter(file, sources[index]!);
    if ("problems" in fm) return void problems.push(...fm.problems);
    const { article, problems: found } = validateArticle(file, fm, config);
    problems.push(...found);
    if (article) pages.push(renderArticle(article, articlePath, md, problems));
  });

  await Promise.all(pages.flatMap((page) => page.photos.map(async (photo) => {
    const size = await measurePhoto(photo.sourcePath);
    if ("error" in size) {
      problems.push({ file: page.file, field: page.lead === photo ? "image.src" : "image in body", message: `photo ${photo.relativePath}: ${size.error}`, fix: "replace it with a JPEG, PNG, WebP or AVIF photo" });
      return;
    }
    photo.width = size.width;
    photo.height = size.height;
  })));

  problems.push(...duplicateUrls(pages));
  if (problems.length > 0) throw new ArticleProblemsError(problems);

  const articles = pages
    .filter((page) => options.includeDrafts || !page.draft)
    .sort((a, b) => b.date.dateTime.toMillis() - a.date.dateTime.toMillis() || a.slug.localeCompare(b.slug));
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

function renderArticle(article: Article, articlePath: string, md: ReturnType<typeof createMarkdown>, problems: Problem[]): ArticlePage {
  const local = article.date.dateTime;
  const url = `/${local.toFormat("yyyy")}/${local.toFormat("MM")}/${article.slug}/`;
  const env = createMarkdownEnv({ file: article.file, articlePath, bodyLine: article.bodyLine, articleUrl: url });
  const html = md.render(article.body, env);
  problems.push(...env.problems);
  const publish = (photo: PhotoRef): PublishedPhoto => ({ ...photo, url: url + photo.relativePath.split("/").map(encodeURIComponent).join("/"), width: 0, height: 0 });
  const photos = env.photos.map(publish);

  let lead: ArticlePage["lead"];
  if (article.image) {
    const found = resolvePhoto(articlePath, article.image.src);
    if ("error" in found) {
      problems.push({ file: article.file, field: "image.src", message: found.error, fix: found.fix });
    } else {
      const { src: _src, ...text } = article.image;
      lead = Object.assign(publish(found), text);
      photos.unshift(lead);
    }
  }
  return { ...article, url, html, photos, related: [], ...(lead && { lead }) };
}

/** Two articles must never be written to one URL: the second would silently replace the first. */
function duplicateUrls(pages: ArticlePage[]): Problem[] {
  const byUrl = new Map<string, ArticlePage>();
  const problems: Problem[] = [];
  for (const page of pages) {
    const key = page.url.normalize("NFC").toLowerCase();
    const first = byUrl.get(key);
    if (first) {
      problems.push({ file: page.file, field: "slug", message: `${page.url} is also the URL of ${first.file}`, fix: "give one of the two articles another file name or a `slug:` line" });
    } else {
      byUrl.set(key, page);
    }
  }
  return problems;
}
