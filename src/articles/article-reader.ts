import { Piscina } from "piscina";
import { siteMarkdown } from "../site/site-view.ts";
import { pageWorkers, workerHeapMb } from "../util/limits.ts";
import { workerModule } from "../util/typescript.ts";
import {
  type ArticleEntry,
  type EntryRecord,
  entryFrom,
  openBodies,
  type ParseContext,
  type ParsedArticle,
  parseArticle,
  reuseArticle,
} from "./article-entry.ts";
import type { Problem } from "./problems.ts";

export interface ReadArticlesOptions {
  /** Entries of the last build, by article path (see `openArticleIndex`). */
  known: ReadonlyMap<string, EntryRecord>;
  /** Worker threads at most. Default: one per core while memory holds them. */
  workers?: number;
  /**
   * Fewer articles to parse than this are parsed in the build's own thread: starting workers costs more. Default 400.
   */
  inlineBelow?: number;
}

/** Articles handed to a worker thread at once: enough to make each message worth its cost. */
const batchSize = 64;

/**
 * Reads every article, in the order given: an article whose bytes match its entry in the article
 * index is reused, the others are parsed, in worker threads when there are many (a first build of
 * an archive parses every article: a millisecond each). Results are plain records, turned into
 * entries here; what comes back is in the order of `files`.
 */
export async function readArticles(
  files: string[],
  context: ParseContext,
  options: ReadArticlesOptions,
): Promise<{ entry?: ArticleEntry; record?: EntryRecord; problems: Problem[] }[]> {
  const parsed: ParsedArticle[] = files.map((file) => {
    const record = reuseArticle(file, context.root, options.known);
    return record ? { record, problems: [] } : { problems: [] };
  });
  const missing = files.flatMap((_, index) => (parsed[index]!.record ? [] : [index]));
  if (missing.length < (options.inlineBelow ?? 400)) {
    const md = siteMarkdown(context.config);
    const bodies = openBodies(context.bodies);
    for (const index of missing) parsed[index] = parseArticle(files[index]!, context, md, bodies);
  } else {
    const threads = Math.max(1, Math.min(options.workers ?? pageWorkers(), Math.ceil(missing.length / batchSize)));
    const pool = new Piscina<string[], ParsedArticle[]>({
      ...workerModule(new URL("./article-worker.ts", import.meta.url)),
      workerData: context,
      maxThreads: threads,
      minThreads: threads,
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
    });
    try {
      const batches: number[][] = [];
      for (let start = 0; start < missing.length; start += batchSize)
        batches.push(missing.slice(start, start + batchSize));
      await Promise.all(
        batches.map(async (batch) => {
          const results = await pool.run(batch.map((index) => files[index]!));
          batch.forEach((index, position) => {
            parsed[index] = results[position]!;
          });
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  return parsed.map(({ record, problems }) => ({
    problems,
    ...(record && { record, entry: entryFrom(record, context.config) }),
  }));
}
