import { readFileSync } from "node:fs";
import path from "node:path";
import type MarkdownIt from "markdown-it";
import { FixableError } from "../build/failure.ts";
import type { ImageFile, SocialCard } from "../images/pipeline.ts";
import type { TimelineEvent } from "../markdown/env.ts";
import { type ContentCache, contentKey, createContentCache } from "../publish/content-cache.ts";
import {
  type ArticlePhotos,
  type PreparedArticle,
  prepareArticle,
  renderBody,
  type Teaser,
} from "../site/article-page.ts";
import type { Category, SiteConfig } from "../site/config.ts";
import { type ArticleDate, type DateData, dateData, dateFromData } from "../site/dates.ts";
import { warnDamagedEntry } from "../util/damaged-entry.ts";
import { type Article, validateArticle } from "./article.ts";
import { parseFrontMatter } from "./front-matter.ts";
import { type PhotoRef, resolvePhoto } from "./photos.ts";
import type { Problem } from "./problems.ts";
import { sourceStamp } from "./source-stamp.ts";
import { textWarnings, type WarningLimits } from "./warnings.ts";

/**
 * What a build keeps of one valid article between reading it and writing its page: everything the
 * listings, feeds, sitemaps and related articles need, and not its body, so a build of 100,000
 * articles never holds 100,000 bodies. The page is rendered from the file again, once, when it is written.
 */
export interface ArticleEntry extends Omit<Article, "body" | "bodyLine">, Teaser {
  /** Absolute path of the article file. */
  articlePath: string;
  /** A hash of the file's bytes (and path): the page is rendered only from exactly these bytes. */
  sourceHash: string;
  /** The file's `sourceStamp` when those bytes were read: while the file's is the same, it is not read again. */
  sourceStamp: string;
  /** A hash of what lists show of the article (its teaser): a page listing it changes only when this does. */
  teaserHash: string;
  leadPhoto?: PhotoRef;
  bodyPhotos: PhotoRef[];
  /** Title and summary warnings, found when the file was read. */
  textWarnings: Problem[];
  /** The article's timeline events, for its story's chronology. */
  events: TimelineEvent[];
  /** Set once the photos went through the image pipeline. */
  photos?: ArticlePhotos;
  /** Every image file the page uses, to publish. */
  files: ImageFile[];
  socialCard?: SocialCard;
  related: Teaser[];
}

/**
 * A teaser as plain data: dates as their ISO text, categories as keys, so it can cross to a worker thread and into a
 * cache key.
 */
export interface TeaserData {
  url: string;
  title: string;
  summary?: string;
  date: DateData;
  categories: string[];
  draft: boolean;
}

/** An entry as the article index keeps it (JSON). */
export interface EntryRecord
  extends Omit<
    ArticleEntry,
    "date" | "updated" | "corrections" | "events" | "categories" | "photos" | "files" | "socialCard" | "related"
  > {
  date: DateData;
  events: { date: DateData; text: string }[];
  updated?: DateData;
  corrections: { date: DateData; text: string }[];
  categories: string[];
}

/** Bumped when the shape of a record changes, so old records are never read as new ones. */
export const recordVersion = "entry-7";

const dateFrom = (data: DateData, config: SiteConfig): ArticleDate => dateFromData(data, config.timeZone);

function categoriesFrom(keys: string[], config: SiteConfig): Category[] {
  return keys.map((key) => {
    const category = config.categories.find((c) => c.key === key);
    if (!category) throw new Error(`a cached article names category "${key}", which the site config no longer has`);
    return category;
  });
}

export function teaserData(teaser: Teaser): TeaserData {
  const { url, title, summary, date, categories, draft } = teaser;
  return {
    url,
    title,
    date: dateData(date),
    categories: categories.map((c) => c.key),
    draft,
    ...(summary && { summary }),
  };
}

export function teaserFrom(data: TeaserData, config: SiteConfig): Teaser {
  return { ...data, date: dateFrom(data.date, config), categories: categoriesFrom(data.categories, config) };
}

/** An entry as plain data: what the article index keeps and a page job carries. */
export function toRecord(entry: ArticleEntry): EntryRecord {
  const {
    photos: _photos,
    files: _files,
    socialCard: _card,
    related: _related,
    date,
    updated,
    corrections,
    events,
    categories,
    ...rest
  } = entry;
  return {
    ...rest,
    events: events.map((event) => ({ ...event, date: dateData(event.date) })),
    date: dateData(date),
    corrections: corrections.map((correction) => ({ ...correction, date: dateData(correction.date) })),
    categories: categories.map((c) => c.key),
    ...(updated && { updated: dateData(updated) }),
  };
}

/** The entry a record stands for, with its dates and categories back in the site's terms. */
export function entryFrom(record: EntryRecord, config: SiteConfig): ArticleEntry {
  const { date, updated, corrections, events, categories, ...rest } = record;
  // Properties added to the record's rest, not spread into a new object: V8 gave each object spread from these
  // records a shape of its own, and so every read of an entry's field across the archive a slow, uncached lookup.
  const entry: ArticleEntry = Object.assign(rest, {
    events: events.map((event) => ({ ...event, date: dateFrom(event.date, config) })),
    date: dateFrom(date, config),
    corrections: corrections.map((correction) => ({ ...correction, date: dateFrom(correction.date, config) })),
    categories: categoriesFrom(categories, config),
    files: [],
    related: [],
  });
  if (updated !== undefined) entry.updated = dateFrom(updated, config);
  return entry;
}

/** An entry from a prepared article, once parsing and validation found no problem. */
function entryOf(
  ready: PreparedArticle,
  articlePath: string,
  source: Pick<ArticleEntry, "sourceHash" | "sourceStamp">,
  warnings: Problem[],
): ArticleEntry {
  const { body: _body, bodyLine: _line, ...article } = ready.article;
  const teaserHash = contentKey(JSON.stringify(teaserData({ ...article, url: ready.url })));
  return {
    ...article,
    url: ready.url,
    articlePath,
    ...source,
    teaserHash,
    bodyPhotos: ready.env.photos,
    events: ready.env.events,
    textWarnings: warnings,
    files: [],
    related: [],
    ...(ready.leadPhoto && { leadPhoto: ready.leadPhoto }),
  };
}

/**
 * A photo found when the record was made must still be a file in the article's folder; otherwise the article is read
 * afresh, and the problem told as it would be.
 */
function photosStillThere(entry: EntryRecord): boolean {
  const photos = [...(entry.leadPhoto ? [entry.leadPhoto] : []), ...entry.bodyPhotos];
  return photos.every((photo) => {
    return resolvePhoto(entry.articlePath, photo.src, { file: entry.file }).value?.sourcePath === photo.sourcePath;
  });
}

/**
 * What parsing an article needs besides its path: plain data, the same for every article of a build (and every worker
 * thread).
 */
export interface ParseContext {
  root: string;
  config: SiteConfig;
  limits: WarningLimits;
  /** Where a photo-less article's body, rendered while it is parsed anyway, is kept for its page (see `bodyName`). */
  bodies: BodyCache;
}

/** The folder of rendered bodies, and what every body of a build is rendered with. */
export interface BodyCache {
  dir: string;
  /** A hash of the site config and midad's code. */
  salt: string;
  /** The image pipeline's `sizes` attribute, which bodies' and lead photos' pictures get. */
  sizes: string;
}

/**
 * The store of rendered bodies: sealed (src/publish/sealed-entry.ts), as every page and feed that takes a body from it
 * publishes its bytes; a damaged body is named and rendered again. Every reader and writer opens it so.
 */
export function openBodies(bodies: Pick<BodyCache, "dir">): ContentCache {
  return createContentCache(bodies.dir, { sealed: warnDamagedEntry });
}

/**
 * A rendered body's name in the body cache: a hash of all it is made of (the article's bytes, its photos' outputs,
 * the settings, midad's code).
 */
export function bodyName(bodies: BodyCache, sourceHash: string, photos: ArticlePhotos): string {
  return `${contentKey(bodies.salt, sourceHash, JSON.stringify(photos), bodies.sizes)}.html`;
}

/** No photos: what an article without any renders its body with. */
export const noPhotos: ArticlePhotos = { pictures: [], files: [] };

/** An article read: its record (the entry as plain data) when it is valid, else its problems. */
export interface ParsedArticle {
  record?: EntryRecord;
  problems: Problem[];
}

/**
 * The article's entry from the article index, when its bytes are exactly those the entry was made
 * from and its photos are still there; undefined when it must be parsed. A file whose stamp is the entry's is not read
 * (`now`: the clock stamps are judged by); another is read synchronously: a small file costs a quarter of what an
 * asynchronous read does, and one file is open at a time.
 */
export function reuseArticle(
  articlePath: string,
  root: string,
  known: ReadonlyMap<string, EntryRecord>,
  now = Date.now(),
): EntryRecord | undefined {
  const record = known.get(articlePath);
  if (!record) return undefined;
  const stamp = sourceStamp(articlePath, now);
  if (stamp !== "" && stamp === record.sourceStamp) return photosStillThere(record) ? record : undefined;
  const source = readSource(articlePath);
  if (!Buffer.isBuffer(source) || record.sourceHash !== sourceHashOf(articlePath, root, source)) return undefined;
  if (!photosStillThere(record)) return undefined;
  // The same bytes under new times (a checkout, a copy): the entry takes the new stamp, so the next build reads nothing.
  return stamp === record.sourceStamp ? record : { ...record, sourceStamp: stamp };
}

/**
 * What an entry's `sourceHash` is of: the file's bytes and its path, relative (for messages) and absolute (for
 * photos).
 */
function sourceHashOf(articlePath: string, root: string, source: Buffer): string {
  return contentKey(path.relative(root, articlePath), articlePath, source);
}

/**
 * Reads, parses and validates one article file, and parses its body: every problem found, and the article when there
 * are none.
 */
function parseFile(
  articlePath: string,
  root: string,
  config: SiteConfig,
  md: MarkdownIt,
): {
  sourceHash: string;
  sourceStamp: string;
  problems: Problem[];
  ready?: PreparedArticle;
  lineOf?: (field: string) => number | undefined;
} {
  const file = path.relative(root, articlePath);
  // Stamped before it is read: a write in between changes the stamp, so the next build reads the file again.
  const stamp = sourceStamp(articlePath);
  const source = readSource(articlePath);
  if (!Buffer.isBuffer(source)) {
    return {
      sourceHash: "",
      sourceStamp: "",
      problems: [
        {
          file,
          message: `the file cannot be read: ${unreadableBecause(source)}`,
          fix: "make it a readable file (chmod a+r), or move it out of articles/",
        },
      ],
    };
  }
  const read = { sourceHash: sourceHashOf(articlePath, root, source), sourceStamp: stamp };
  const { value: fm, problems: unreadable } = parseFrontMatter(file, source.toString("utf8"));
  if (!fm) return { ...read, problems: unreadable };
  const { value: article, problems } = validateArticle(file, fm, config);
  if (!article) return { ...read, problems };
  const ready = prepareArticle(article, articlePath, md, problems);
  problems.push(...ready.env.problems);
  return problems.length > 0 ? { ...read, problems } : { ...read, problems, ready, lineOf: fm.lineOf };
}

/** The file's bytes, or why they cannot be read (permissions, a folder named `.md`, a file deleted meanwhile). */
function readSource(articlePath: string): Buffer | Error {
  try {
    return readFileSync(articlePath);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function unreadableBecause(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a folder, not a file";
    case "ENOENT":
      return "it was deleted while the build was reading the articles";
    default:
      return error.message;
  }
}

/**
 * Parses and validates one article, about a millisecond of work; an article with problems has no
 * record, so it is always read afresh. `bodies` is where a photo-less article's body goes.
 */
export function parseArticle(
  articlePath: string,
  context: ParseContext,
  md: MarkdownIt,
  bodies: ContentCache,
): ParsedArticle {
  const { problems, ready, lineOf, ...source } = parseFile(articlePath, context.root, context.config, md);
  if (!ready || !lineOf) return { problems };
  // The tokens are at hand: rendering the body now spares the page a second parse (its photos, if any, are not
  // encoded yet).
  if (!ready.leadPhoto && ready.env.photos.length === 0) {
    bodies.writeSync(
      bodyName(context.bodies, source.sourceHash, noPhotos),
      renderBody(ready, md, noPhotos, context.bodies.sizes),
    );
  }
  return {
    record: toRecord(entryOf(ready, articlePath, source, textWarnings(ready.article, context.limits, lineOf))),
    problems,
  };
}

/**
 * Reads the article again to render its page, from exactly the bytes its entry was made from: a
 * file saved again while the build runs fails this build (the next one picks the change up) rather
 * than mixing two versions into one site.
 */
export function readPrepared(
  entry: Pick<ArticleEntry, "articlePath" | "sourceHash">,
  root: string,
  config: SiteConfig,
  md: MarkdownIt,
): PreparedArticle {
  const { sourceHash, ready } = parseFile(entry.articlePath, root, config, md);
  if (sourceHash !== entry.sourceHash || !ready)
    throw new FixableError(
      `${path.relative(root, entry.articlePath)} changed while the site was being built; build again`,
    );
  return ready;
}
