import type { Dirent } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import pMap from "p-map";
import type { Article } from "../articles/article.ts";
import {
  type ArticleEntry,
  type BodyCache,
  bodyName,
  type EntryRecord,
  noPhotos,
  openBodies,
  readPrepared,
} from "../articles/article-entry.ts";
import { type IndexMemory, openArticleIndex } from "../articles/article-index.ts";
import { readArticles } from "../articles/article-reader.ts";
import { ArticleProblemsError, type Problem } from "../articles/problems.ts";
import { defaultWarningLimits, photoWarnings, type WarningLimits } from "../articles/warnings.ts";
import { FixableError } from "../build/failure.ts";
import type { ImagePipeline } from "../images/pipeline.ts";
import { contentKey, createContentCache } from "../publish/content-cache.ts";
import { feedArticles } from "../publish/feeds.ts";
import { codeFingerprint } from "../publish/fingerprint.ts";
import { type DamagedEntry, warnDamagedEntry } from "../util/damaged-entry.ts";
import { filesAtOnce } from "../util/limits.ts";
import { entryPath, listTree } from "../util/walk.ts";
import { type LeadImage, leadImage, processArticlePhotos, renderBody } from "./article-page.ts";
import { type AuthorProfile, readAuthorProfiles } from "./authors.ts";
import { buildCollections, type CollectionPage, collectionProblems } from "./collections.ts";
import type { SiteConfig } from "./config.ts";
import { buildSections, type Sections, teaserOf } from "./sections.ts";
import { createSiteView, type SiteView, siteMarkdown } from "./site-view.ts";
import { readStoryProfiles } from "./stories.ts";

export type { ArticleEntry } from "../articles/article-entry.ts";
export type { ArticlePage, LeadImage, Teaser } from "./article-page.ts";
export type { SiteView } from "./site-view.ts";

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
  /**
   * The moment of the build: articles dated after it wait for a later build (scheduled publishing). Without it every
   * article is kept, as `npm run check` validates them all.
   */
  buildTime?: Date;
  /**
   * Leave out the articles that have problems and list the problems in `problems` instead of throwing, so the dev
   * server keeps serving the rest. Default false.
   */
  keepGoing?: boolean;
  /** When a valid article gets a warning. Default `defaultWarningLimits`. */
  warnings?: WarningLimits;
  /**
   * Folder of the article index kept between builds (see `openArticleIndex`). Default: `.cache/articles` under the
   * root.
   */
  indexDir?: string;
  /** The article index as this process last saved it, kept by a caller that builds again and again (the dev server). */
  indexMemory?: IndexMemory;
  /**
   * Where a cache entry that cannot be used (cut short, damaged) is named, as it is made again. Default:
   * `warnDamagedEntry`, a `warning:` line on standard error.
   */
  warnCache?: DamagedEntry;
  /** The newsroom's profiles of its bylines. Default: `authors.yaml` beside the articles folder, if there is one. */
  authorsFile?: string;
  /** The newsroom's titles and summaries of its stories. Default: `stories.yaml` beside the articles folder, if any. */
  storiesFile?: string;
  /**
   * Folder of rendered bodies (for pages and feeds), by a hash of all they are made of. Default: `.cache/bodies`
   * under the root.
   */
  bodiesDir?: string;
}

/** An article as the feeds carry it: its entry, its body rendered and its lead photo. */
export interface FeedArticle extends ArticleEntry {
  html: string;
  lead?: LeadImage;
}

export interface Site extends Sections, SiteView {
  /** Where rendered bodies are kept, and with what they are rendered: the page writer reads them. */
  bodies: BodyCache;
  /** Newest first: every published article, without its body. */
  articles: ArticleEntry[];
  /** The articles the feeds carry, rendered in full, by URL: the newest of the site and of each category. */
  feedPages: Map<string, FeedArticle>;
  /** Problems of the articles left out; always empty without `keepGoing`, as the problems are thrown instead. */
  problems: Problem[];
  /**
   * What readers will notice in published articles without it stopping the build: a very long title or summary, an
   * oversized photo.
   */
  warnings: Problem[];
  /** Valid articles dated after the build time, left out of this build, soonest first. */
  scheduled: Pick<Article, "file" | "date">[];
  /** Tag and author pages and their indexes, and the yearly and monthly archives. */
  collectionPages: CollectionPage[];
  /** The newsroom's profiles of its bylines (`authors.yaml`), by byline. */
  authors: Map<string, AuthorProfile>;
}

/**
 * Reads and validates every article, a few files at a time, and runs the photos of the published
 * ones through the image pipeline. All problems of all articles are gathered and thrown together
 * as one ArticleProblemsError, before any page is written (or, with `keepGoing`, returned with the
 * site made of the articles without problems). Bodies are not kept: pages are rendered later, one by one.
 */
export async function loadSite(options: LoadOptions): Promise<Site> {
  const { root, articlesDir, config, buildTime } = options;
  const limits = options.warnings ?? defaultWarningLimits;
  const md = siteMarkdown(config);
  const problems: Problem[] = [];
  const files = await listArticleFiles(articlesDir, root, problems);
  // Sealed, as every build trusts its records: a file cut short or changed is named and its articles read again.
  const indexCache = createContentCache(options.indexDir ?? path.join(root, ".cache/articles"), {
    sealed: options.warnCache ?? warnDamagedEntry,
  });
  const salt = contentKey(codeFingerprint(), JSON.stringify(config));
  const index = await openArticleIndex(indexCache, articlesDir, salt, options.indexMemory);
  const { known } = index;
  const entries: ArticleEntry[] = [];
  const records: EntryRecord[] = [];
  const bodiesDir = options.bodiesDir ?? path.join(root, ".cache/bodies");
  const bodyCache = { dir: bodiesDir, salt, sizes: options.images.sizes };
  for (const read of await readArticles(files, { root, config, limits, bodies: bodyCache }, { known })) {
    problems.push(...read.problems);
    if (read.entry) entries.push(read.entry);
    if (read.record) records.push(read.record);
  }
  await index.save(records);
  const profiles = readAuthorProfiles(
    options.authorsFile ?? path.join(path.dirname(articlesDir), "authors.yaml"),
    root,
  );
  const storyFile = readStoryProfiles(
    options.storiesFile ?? path.join(path.dirname(articlesDir), "stories.yaml"),
    root,
  );
  problems.push(...duplicateUrls(entries), ...collectionProblems(entries), ...profiles.problems, ...storyFile.problems);
  const authors = profiles.value ?? new Map<string, AuthorProfile>();
  // Any problem so far stops the build here; with `keepGoing`, the articles concerned are left out instead.
  const checkpoint = () => {
    if (problems.length > 0 && !options.keepGoing) throw new ArticleProblemsError(problems);
    return new Set(problems.map((problem) => problem.file));
  };
  const invalid = checkpoint();

  const valid = entries.filter((entry) => !invalid.has(entry.file));
  const due = (entry: ArticleEntry) => buildTime === undefined || entry.date.millis <= buildTime.getTime();
  const scheduled = valid
    .filter((entry) => !due(entry))
    .map(({ file, date }) => ({ file, date }))
    .sort((a, b) => a.date.millis - b.date.millis || compareText(a.file, b.file));
  // Images are encoded only once every article is known to be valid, so a typo fails in milliseconds.
  const published = valid.filter((entry) => due(entry) && (options.includeDrafts || !entry.draft));
  const withPhotos = published.filter((entry) => entry.leadPhoto || entry.bodyPhotos.length > 0);
  const photos = await pMap(
    withPhotos,
    (entry) => processArticlePhotos(entry, entry.bodyPhotos, entry.leadPhoto, options.images, problems),
    { concurrency: filesAtOnce },
  );
  withPhotos.forEach((entry, index) => {
    const found = photos[index];
    if (!found) return;
    entry.photos = found;
    entry.files = found.files;
    if (found.socialCard) entry.socialCard = found.socialCard;
  });
  const failed = new Set(withPhotos.filter((entry) => !entry.photos).map((entry) => entry.file));
  checkpoint();

  const shown = published.filter((entry) => !failed.has(entry.file));
  const photoWarningsOf = await pMap(
    shown,
    ({ file, leadPhoto, bodyPhotos, image }) =>
      photoWarnings(
        file,
        [
          ...(leadPhoto
            ? [{ photo: leadPhoto, field: "image.src", ...(image?.line !== undefined && { line: image.line }) }]
            : []),
          ...bodyPhotos.map((photo) => ({ photo, field: "image in body" })),
        ],
        limits,
        options.images,
      ),
    { concurrency: filesAtOnce },
  );
  const warnings = shown.flatMap((entry, index) => [...entry.textWarnings, ...photoWarningsOf[index]!]);

  // Code-unit order, not localeCompare: the order must not depend on the build machine's locale.
  const articles = shown.sort((a, b) => b.date.millis - a.date.millis || compareText(a.slug, b.slug));
  const sections = buildSections(articles, config);
  // One teaser per article, shared by the hundreds of thousands of places the listings show one.
  const teasers = new Map(articles.map((article) => [article, teaserOf(article)]));
  const collectionPages = buildCollections(
    articles,
    (article) => teasers.get(article)!,
    config,
    authors,
    storyFile.value,
  );
  const bodies = openBodies({ dir: bodiesDir });
  const feedPages = new Map<string, FeedArticle>();
  for (const entry of feedArticles(articles, config)) {
    const photos = entry.photos ?? noPhotos;
    const name = bodyName(bodyCache, entry.sourceHash, photos);
    let html = (await bodies.read(name))?.toString("utf8");
    if (html === undefined) {
      html = renderBody(readPrepared(entry, root, config, md), md, photos, options.images.sizes);
      await bodies.write(name, html);
    }
    const lead = leadImage(entry.image, photos, options.images.sizes);
    feedPages.set(entry.url, { ...entry, html, ...(lead && { lead }) });
  }
  await bodies.prune(7);
  return {
    ...createSiteView(config, Object.fromEntries(authors)),
    authors,
    bodies: bodyCache,
    articles,
    feedPages,
    problems,
    warnings,
    scheduled,
    collectionPages,
    ...sections,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function listArticleFiles(articlesDir: string, root: string, problems: Problem[]): Promise<string[]> {
  const entries = listFolder(articlesDir, root);
  const files: string[] = [];
  for (const entry of entries) {
    const full = entryPath(entry);
    const isArticle = entry.name.toLowerCase().endsWith(".md");
    if (entry.isSymbolicLink() && isArticle) {
      problems.push({
        file: path.relative(root, full),
        message: "this article is a symbolic link; articles must be real files inside articles/",
        fix: "replace the link with the article file itself",
      });
    } else if (
      entry.isSymbolicLink() &&
      (await stat(full).then(
        (info) => info.isDirectory(),
        () => false,
      ))
    ) {
      // Never followed: its articles would silently be missing from the site, or come from outside the repository.
      problems.push({
        file: path.relative(root, full),
        message: "this folder is a symbolic link; articles must be real files inside articles/",
        fix: "replace the link with the folder itself",
      });
    } else if (isArticle && entry.isFile()) {
      files.push(full);
    } else if (isArticle && !entry.isDirectory()) {
      problems.push({
        file: path.relative(root, full),
        message: "this is not a regular file (a pipe, socket or device); articles are plain text files",
        fix: "replace it with the article file, or remove it",
      });
    }
  }
  // Code-unit order: the same on every machine.
  return files.sort();
}

/**
 * Every entry under the articles folder; a folder that is missing or unreadable stops the build, saying which and how
 * to fix it.
 */
function listFolder(articlesDir: string, root: string): Dirent[] {
  try {
    return listTree(articlesDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const folder = path.relative(root, articlesDir) || ".";
    if (code === "ENOENT")
      throw new FixableError(
        `the articles folder ${folder} does not exist (looked for ${articlesDir}): create it, or point the build at the folder that holds them (npm run build -- --articles DIR)`,
      );
    if (code === "ENOTDIR")
      throw new FixableError(
        `the articles folder ${folder} is a file, not a folder: give the folder that holds the articles with --articles DIR`,
      );
    throw new FixableError(
      `the articles folder ${folder} cannot be read: ${(error as Error).message}; make it readable by the user that builds`,
      { cause: error },
    );
  }
}

/** Two articles must never be written to one URL: the second would silently replace the first. */
function duplicateUrls(articles: ArticleEntry[]): Problem[] {
  const byUrl = new Map<string, ArticleEntry>();
  const problems: Problem[] = [];
  for (const page of articles) {
    const key = page.url.normalize("NFC").toLowerCase();
    const first = byUrl.get(key);
    if (first) {
      problems.push({
        file: page.file,
        field: "slug",
        message: `${page.url} is also the URL of ${first.file}`,
        fix: "give one of the two articles another file name or a `slug:` line",
      });
    } else {
      byUrl.set(key, page);
    }
  }
  return problems;
}
