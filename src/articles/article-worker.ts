import { workerData } from "node:worker_threads";
import { siteMarkdown } from "../site/site-view.ts";
import { openBodies, type ParseContext, parseArticle } from "./article-entry.ts";

/** A worker thread that parses articles for src/articles/article-reader.ts, with the build's settings. */
const context = workerData as ParseContext;
const md = siteMarkdown(context.config);
const bodies = openBodies(context.bodies);

export default function parseArticles(files: string[]) {
  return files.map((file) => parseArticle(file, context, md, bodies));
}
