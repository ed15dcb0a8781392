import { type BigIntStats, mkdirSync, rmSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { setImmediate } from "node:timers/promises";
import pMap from "p-map";
import { Piscina } from "piscina";
import { type ActiveContent, formatActiveContent } from "../build/active-content.ts";
import { FixableError } from "../build/failure.ts";
import type { Site } from "../site/site.ts";
import { type DamagedEntry, warnDamagedEntry } from "../util/damaged-entry.ts";
import { filesAtOnce, pageWorkers, workerHeapMb } from "../util/limits.ts";
import { workerModule } from "../util/typescript.ts";
import { pathUnder } from "../util/walk.ts";
import { createContentCache } from "./content-cache.ts";
import { type PlannedPage, planPages } from "./page-plan.ts";
import {
  createPageRenderer,
  type PageJob,
  type PageTemplates,
  pageCacheNames,
  type RenderSettings,
} from "./page-render.ts";
import type { IndexedPage } from "./search-index.ts";
import { openStampBook } from "./stamp-book.ts";

/** Pages checked between two turns of the event loop: about 10 ms of stats. */
const checkedAtOnce = 256;

export interface WriteOptions {
  /** How pages look: the templates and the path-prefix rule, for pages rendered in this thread. */
  templates: PageTemplates;
  /** The worker module, which renders with the same templates (its TypeScript source: see `workerModule`). */
  workerFile: URL;
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
  /**
   * Called once every article page is in the page cache, before the other pages are written (after an edit, that is
   * once the edited article is rendered), to start what is made of the article pages only: the search index. The
   * promise settles when that is done (it never rejects); worker threads wait for it, and so does the result.
   * Default: none.
   */
  onArticlePages?: (articlePages: IndexedPage[]) => Promise<void>;
  /** Told of a page-cache entry that is not what was written, which is rendered again. Default `warnDamagedEntry`. */
  warn?: DamagedEntry;
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
  const plan = planPages(site, settings);
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
  const warn = options.warn ?? warnDamagedEntry;
  const stamps = await openStampBook(settings.cacheDir, warn);
  // A page's entries are used only while they are what was written: one changed since (a page of a published site
  // edited in place, as its files are links of the entries, or an entry cut short) is named, removed and rendered again.
  const intactFile = (name: string, file: string, stats?: BigIntStats) => {
    const found = stamps.check(name, stats);
    if (found !== "damaged") return found === "intact";
    warn(cache.fileOf(name), `(${file}) is not what was written: rendered again`);
    rmSync(cache.fileOf(name), { force: true });
    return false;
  };
  const intact = (page: PlannedPage) => filesOf(page).every(({ name, file }) => intactFile(name, file));
  // A page an earlier build linked is still right when each of its files is its entry's link and the entry is intact:
  // two stats a file, and nothing written or awaited, for most pages of a rebuild.
  const kept = (page: PlannedPage) =>
    filesOf(page).every(({ name, file }) => {
      const stats = existing.has(file) ? cache.linkedAt(name, targetOf(file)) : undefined;
      return stats !== undefined && intactFile(name, file, stats);
    });
  const link = async (page: PlannedPage): Promise<boolean> => {
    if (!intact(page)) return false;
    for (const { name, file } of filesOf(page)) {
      const target = targetOf(file);
      if (!existing.has(file)) folderOf(path.dirname(target));
      if (!(await cache.copyTo(name, target))) return false;
    }
    return true;
  };

  // Those of the planned pages that are neither kept nor in the cache: each of the others is in place once this is done.
  const missingOf = async (pages: PlannedPage[]) => {
    const missing: PlannedPage[] = [];
    const unkept: PlannedPage[] = [];
    for (let start = 0; start < pages.length; start += checkedAtOnce) {
      // A turn of the event loop between runs of checks: what goes on beside the writer (the search index, started
      // just before) gets to its next step, rather than waiting for a second of checks.
      if (start > 0) await setImmediate();
      for (const page of pages.slice(start, start + checkedAtOnce)) if (!kept(page)) unkept.push(page);
    }
    await pMap(
      unkept,
      async (page) => {
        if (!(await link(page))) missing.push(page);
      },
      { concurrency: filesAtOnce },
    );
    return missing;
  };
  const inlineBelow = options.inlineBelow ?? 24;
  const found: ActiveContent[] = [];
  const workers = options.workers ?? pageWorkers();
  const renderAll = async (missing: PlannedPage[], most = workers) => {
    if (missing.length === 0) return;
    const inline = missing.length < inlineBelow;
    const threads = Math.max(1, Math.min(most, missing.length));
    const pool = inline
      ? undefined
      : new Piscina<PageJob, ActiveContent[]>({
          ...workerModule(options.workerFile),
          workerData: settings,
          maxThreads: threads,
          minThreads: threads,
          // A thread holds its next page while it renders one, rather than waiting, once each page is done, for the
          // build's thread (busy with Pagefind's processes on the same cores) to send the next.
          concurrentTasksPerWorker: 2,
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
          if (problems.length === 0) for (const { name } of filesOf(page)) stamps.record(name);
          if (problems.length === 0 && !(await link(page)))
            throw new Error(`the page cache lost ${page.url} while it was being written (${settings.cacheDir})`);
        },
        { concurrency: inline ? 1 : threads * 4 },
      );
    } finally {
      await pool?.destroy();
    }
  };
  const articles = plan.articles;
  const articlePages: IndexedPage[] = site.articles.map((entry, index) => ({
    file: articles[index]!.file,
    source: cache.fileOf(filesOf(articles[index]!)[0]!.name),
    key: articles[index]!.indexKey!,
    // The year of its URL, which is its year in the newsroom's time zone (see articleUrl), without a luxon DateTime
    // per article (10 µs each).
    year: Number(entry.url.split("/")[1]),
  }));
  // The article pages the cache lacks (or holds changed) come first: then every article page is in the cache, and what
  // is made of them only can start beside the rest of the writing. The most recently saved article first: after an
  // edit, the edited page is in place before those that only show its title among their related articles.
  const savedAt = (index: number) =>
    statSync(site.articles[index]!.articlePath, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const rendered = articles
    .flatMap((page, index) => (intact(page) ? [] : [{ page, saved: savedAt(index) }]))
    .sort((a, b) => b.saved - a.saved)
    .map(({ page }) => page);
  await renderAll(rendered);
  const started = found.length === 0 ? options.onArticlePages?.(articlePages) : undefined;
  // Whether the search index still runs (the dev server's is done at once: it indexes later, in the background).
  let indexing = started !== undefined;
  started?.finally(() => (indexing = false)).catch(() => undefined);
  // Those just rendered are in place already.
  const renderedFirst = new Set(rendered);
  const planned = [...articles, ...plan.others()];
  const missing = await missingOf(planned.filter((page) => !renderedFirst.has(page)));
  // While the search index runs, one thread fewer renders the rest beside it, so that Pagefind's memory and the
  // threads' stay within bounds (docs/performance.md: a cold build of 4,000 articles in 0.86x the time of waiting).
  await renderAll(missing, indexing ? Math.max(1, workers - 1) : workers);
  await started;
  if (found.length > 0)
    throw new ActiveContentError(found.sort((a, b) => (a.page < b.page ? -1 : a.page > b.page ? 1 : a.line - b.line)));
  const files = planned.flatMap((page) => filesOf(page).map(({ file }) => file));
  const written = new Set(files);
  const stale = [...existing].filter((file) => !written.has(file));
  await pMap(stale, (file) => rm(targetOf(file), { force: true }), { concurrency: filesAtOnce });
  await stamps.save();
  return {
    pages: planned.map((page) => page.file),
    files,
    rendered: rendered.length + missing.length,
    articlePages,
  };
}
