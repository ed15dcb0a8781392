import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import pMap from "p-map";
import { Piscina } from "piscina";
import { noPhotos, teaserData, toRecord } from "../articles/article-entry.ts";
import { type ActiveContent, formatActiveContent } from "../build/active-content.ts";
import { FixableError } from "../build/failure.ts";
import type { Site, Teaser } from "../site/site.ts";
import { filesAtOnce, pageWorkers, workerHeapMb } from "../util/limits.ts";
import { typeScriptExecArgv } from "../util/typescript.ts";
import { pathUnder } from "../util/walk.ts";
import { contentKey, createContentCache } from "./content-cache.ts";
import { collectionFeeds } from "./feeds.ts";
import { codeFingerprint } from "./fingerprint.ts";
import {
  createPageRenderer,
  type PageJob,
  type PageTemplates,
  pageCacheNames,
  type RenderSettings,
} from "./page-render.ts";
import type { IndexedPage } from "./search-index.ts";

export interface WriteOptions {
  /** How pages look: the templates and the path-prefix rule, for pages rendered in this thread. */
  templates: PageTemplates;
  /** The worker module: it renders with the same templates (a module's URL, as worker threads need). */
  workerFile: string;
  /** Worker threads at most. Default: `pageWorkers()`, one per core while memory holds them. */
  workers?: number;
  /**
   * Fewer pages to render than this are rendered in the build's own thread: starting workers costs more. Default 24.
   */
  inlineBelow?: number;
  /**
   * Files already in the output folder that an earlier build linked there from the page cache (pages and their
   * siblings, relative, with `/` separators). Each stays where it is still the link of the entry this build plans
   * there, is replaced where it is not, and is removed where this build writes nothing. Default: none.
   */
  existing?: ReadonlySet<string>;
}

export interface WriteResult {
  /** Every page written, relative to the output folder, with `/` separators. */
  pages: string[];
  /** Every file written: the pages and their `.br` and `.gz` siblings, relative like `pages`. */
  files: string[];
  /** Of those, the pages rendered in this build rather than taken whole from the page cache. */
  rendered: number;
  /** The article pages, newest first, with the keys of what the search index takes from them, and their years. */
  articlePages: IndexedPage[];
}

export class ActiveContentError extends FixableError {
  override name = "ActiveContentError";
  constructor(readonly found: ActiveContent[]) {
    super(
      [
        `${found.length} piece(s) of active content in the built pages:`,
        ...found.map((item) => `  ${formatActiveContent(item)}`),
        "  fix: articles cannot write markup (their text is escaped), so a template or plugin wrote this; find and correct it",
      ].join("\n"),
    );
  }
}

/** A job before its key is put in, kind by kind. */
type Unkeyed<T> = T extends unknown ? Omit<T, "key"> : never;
type Unplanned = Omit<PlannedPage, "job"> & { job: () => Unkeyed<PageJob> };

/** A page to write: where, under which key, and how to make its job should the cache not have it. */
interface PlannedPage {
  key: string;
  /**
   * An article page's: a hash of what the search index takes from it (the article element, made of the article's
   * bytes and photos), without the related articles beside it, so a teaser's change leaves the index alone.
   */
  indexKey?: string;
  url: string;
  /** The output file, relative to the output folder: `<url>index.html`, or a feed beside its page. */
  file: string;
  job: () => PageJob;
}

/**
 * Every article page and category page, each with its key: a hash of everything the finished page
 * is made of (midad's code, the settings, the article's exact bytes, its photos' outputs, and what it
 * shows of the articles it lists: their teasers, by hash). Equal keys mean
 * equal pages, so a page whose key is in the cache is linked, not rendered; anything that differs
 * gives another key, and a page that is not there is rendered. Jobs are made only for those.
 */
function planPages(site: Site, settings: RenderSettings): PlannedPage[] {
  const salt = contentKey(codeFingerprint(), JSON.stringify(settings));
  const teaserOf = new Map(site.articles.map((entry) => [entry.url, entry.teaserHash]));
  const teasers = (listed: Teaser[]) => listed.map((teaser) => teaserOf.get(teaser.url)!);
  return [
    ...site.articles.map((entry) => ({
      url: entry.url,
      indexKey: contentKey(salt, "search", entry.url, entry.sourceHash, JSON.stringify(entry.photos ?? noPhotos)),
      key: contentKey(
        salt,
        "article",
        entry.url,
        entry.sourceHash,
        JSON.stringify(entry.photos ?? noPhotos),
        ...teasers(entry.related),
      ),
      job: () => ({
        kind: "article" as const,
        url: entry.url,
        entry: toRecord(entry),
        photos: entry.photos ?? noPhotos,
        related: entry.related.map(teaserData),
      }),
    })),
    ...site.categoryPages.map((page) => ({
      url: page.url,
      key: contentKey(
        salt,
        "category",
        page.url,
        page.category.key,
        String(page.number),
        String(page.pageCount),
        ...teasers(page.articles),
      ),
      job: () => ({
        kind: "category" as const,
        url: page.url,
        category: page.category.key,
        number: page.number,
        pageCount: page.pageCount,
        articles: page.articles.map(teaserData),
      }),
    })),
    ...site.collectionPages.map(({ articles, ...page }) => {
      // Whether the page has feeds shows on it (their links); which articles they carry does not.
      const { feed, ...shown } = page;
      return {
        url: page.url,
        key: contentKey(salt, "collection", page.url, JSON.stringify(shown), feed ? "feeds" : "", ...teasers(articles)),
        job: () => ({ kind: "collection" as const, url: page.url, page, articles: articles.map(teaserData) }),
      };
    }),
  ]
    .map((page): Unplanned => ({ ...page, file: `${page.url.slice(1)}index.html` }))
    .concat(
      collectionFeeds(site).flatMap((feed) =>
        (["atom", "json"] as const).map((format) => {
          const file = (format === "atom" ? feed.atomUrl : feed.jsonUrl).slice(1);
          // An entry's source hash stands for everything a feed shows of it.
          const key = contentKey(salt, "feed", file, feed.title, ...feed.articles.map((entry) => entry.sourceHash));
          const { articles, ...rest } = feed;
          return {
            url: feed.pageUrl,
            file,
            key,
            job: () => ({
              kind: "feed" as const,
              url: feed.pageUrl,
              key,
              format,
              feed: rest,
              entries: articles.map(toRecord),
            }),
          };
        }),
      ),
    )
    .map(({ job, ...page }) => ({ ...page, job: () => ({ ...job(), key: page.key }) as PageJob }));
}

/**
 * Writes every article and category page into `output`: each page (and its `.br` and `.gz`
 * siblings) is a hard link to the page cache, and only pages missing from the cache are rendered,
 * minified, scanned and compressed, in worker threads when there are many. Pages are handled a few
 * at a time and released once written, so memory does not grow with the archive. Throws
 * ActiveContentError, naming every page and line, when a rendered page has active content.
 */
export async function writePages(
  site: Site,
  settings: RenderSettings,
  output: string,
  options: WriteOptions,
): Promise<WriteResult> {
  const cache = createContentCache(settings.cacheDir);
  const planned = planPages(site, settings);
  const folders = new Set<string>();
  // Synchronous, as the links are: one system call each, for thousands of folders.
  const folderOf = (dir: string) => {
    if (!folders.has(dir)) mkdirSync(dir, { recursive: true });
    folders.add(dir);
  };
  const existing = options.existing ?? new Set<string>();
  const filesOf = (page: PlannedPage) =>
    pageCacheNames(page.key, settings).map((name, index) => ({ name, file: page.file + ["", ".br", ".gz"][index] }));
  const targetOf = pathUnder(output);
  // A page an earlier build linked is still right when each of its files is its entry's link: two stats a file, and
  // nothing written or awaited, for most pages of a rebuild.
  const kept = (page: PlannedPage) =>
    filesOf(page).every(({ name, file }) => existing.has(file) && cache.isLinkedAt(name, targetOf(file)));
  const link = async (page: PlannedPage): Promise<boolean> => {
    for (const { name, file } of filesOf(page)) {
      const target = targetOf(file);
      if (!existing.has(file)) folderOf(path.dirname(target));
      if (!(await cache.copyTo(name, target))) return false;
    }
    return true;
  };

  const missing: PlannedPage[] = [];
  await pMap(
    planned.filter((page) => !kept(page)),
    async (page) => {
      if (!(await link(page))) missing.push(page);
    },
    { concurrency: filesAtOnce },
  );

  const found: ActiveContent[] = [];
  if (missing.length > 0) {
    const inline = missing.length < (options.inlineBelow ?? 24);
    const threads = Math.max(1, Math.min(options.workers ?? pageWorkers(), missing.length));
    const pool = inline
      ? undefined
      : new Piscina<PageJob, ActiveContent[]>({
          filename: options.workerFile,
          execArgv: typeScriptExecArgv(),
          workerData: settings,
          maxThreads: threads,
          minThreads: threads,
          resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
        });
    const render = pool ? (job: PageJob) => pool.run(job) : createPageRenderer(settings, options.templates);
    try {
      // Each job waits for its render, then links it: a few jobs per thread in flight, never the whole list.
      await pMap(
        missing,
        async (page) => {
          const problems = await render(page.job());
          found.push(...problems);
          if (problems.length === 0 && !(await link(page)))
            throw new Error(`the page cache lost ${page.url} while it was being written (${settings.cacheDir})`);
        },
        { concurrency: inline ? 1 : threads * 4 },
      );
    } finally {
      await pool?.destroy();
    }
  }
  if (found.length > 0)
    throw new ActiveContentError(found.sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : a.line - b.line)));
  const files = planned.flatMap((page) => filesOf(page).map(({ file }) => file));
  const written = new Set(files);
  const stale = [...existing].filter((file) => !written.has(file));
  await pMap(stale, (file) => rm(targetOf(file), { force: true }), { concurrency: filesAtOnce });
  return {
    pages: planned.map((page) => page.file),
    files,
    rendered: missing.length,
    // Article pages are planned first, in the site's order.
    articlePages: site.articles.map((entry, index) => ({
      file: planned[index]!.file,
      key: planned[index]!.indexKey!,
      // The year of its URL, which is its year in the newsroom's time zone (see articleUrl), without a luxon DateTime
      // per article (10 µs each).
      year: Number(entry.url.split("/")[1]),
    })),
  };
}
