import type { PhotoRef } from "../articles/photos.ts";
import type { Problem } from "../articles/problems.ts";
import type { ProcessedImage } from "../images/pipeline.ts";
import type { ArticleDate } from "../site/dates.ts";

/** Per-render state handed to markdown-it as `env`: a fresh one for every article, never shared. */
export interface MarkdownEnv {
  /** Article path relative to the project root, for problems. */
  file: string;
  /** Absolute path of the article, to resolve its photos. */
  articlePath: string;
  /** File line on which the Markdown body starts; token line maps are relative to it. */
  bodyLine: number;
  /** Problems found while rendering. */
  problems: Problem[];
  /** Photos the body uses, to be run through the image pipeline before rendering. */
  photos: PhotoRef[];
  /** The pipeline's results by source path; a body image renders as `<picture>` when its result is here. */
  pictures: Map<string, ProcessedImage>;
  /** `sizes` for body pictures: the width of the text column. */
  sizes: string;
  /** Counter for unique ids of timeline headings within one article. */
  timelines: number;
  /** Every timeline event of the article, in the order written: what a story's chronology merges. */
  events: TimelineEvent[];
}

/** One dated event of a `::: timeline`: its date and its text as the article wrote it (inline Markdown). */
export interface TimelineEvent {
  date: ArticleDate;
  text: string;
}

export function createMarkdownEnv(fields: Pick<MarkdownEnv, "file" | "articlePath" | "bodyLine">): MarkdownEnv {
  return { ...fields, problems: [], photos: [], pictures: new Map(), sizes: "100vw", timelines: 0, events: [] };
}

/** File line of a block token, from markdown-it's 0-based body line map. */
export function lineOfToken(env: MarkdownEnv, map: [number, number] | null): number | undefined {
  return map ? env.bodyLine + map[0] : undefined;
}
