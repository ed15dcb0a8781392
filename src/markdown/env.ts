import type { PhotoRef } from "../photos.ts";
import type { Problem } from "../problems.ts";

/** Per-render state handed to markdown-it as `env`: a fresh one for every article, never shared. */
export interface MarkdownEnv {
  /** Article path relative to the project root, for problems. */
  file: string;
  /** Absolute path of the article, to resolve its photos. */
  articlePath: string;
  /** File line on which the Markdown body starts; token line maps are relative to it. */
  bodyLine: number;
  /** Published URL of the article, under which its photos are published. */
  articleUrl: string;
  /** Problems found while rendering. */
  problems: Problem[];
  /** Photos the body uses, to be checked and published. */
  photos: PhotoRef[];
  /** Counter for unique ids of timeline headings within one article. */
  timelines: number;
}

export function createMarkdownEnv(fields: Pick<MarkdownEnv, "file" | "articlePath" | "bodyLine" | "articleUrl">): MarkdownEnv {
  return { ...fields, problems: [], photos: [], timelines: 0 };
}

/** File line of a block token, from markdown-it's 0-based body line map. */
export function lineOfToken(env: MarkdownEnv, map: [number, number] | null): number | undefined {
  return map ? env.bodyLine + map[0] : undefined;
}
