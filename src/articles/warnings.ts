import { defaultImageOptions, type ImagePipeline } from "../images/pipeline.ts";
import type { Article } from "./article.ts";
import type { PhotoRef } from "./photos.ts";
import type { Problem } from "./problems.ts";

/**
 * When an article is valid but something in it will look wrong to readers: shown by build and check, never stopping
 * them.
 */
export interface WarningLimits {
  /** Longest title, in characters, before a warning. Default 110: what Google shows of a news headline. */
  titleLength: number;
  /**
   * Longest summary, in characters, before a warning. Default 300: feed readers and search results show about 160 to
   * 300.
   */
  summaryLength: number;
  /**
   * Widest photo, in pixels, before a warning. Default: twice the widest published width (`widths` in
   * src/images/pipeline.ts), 3200 px.
   */
  photoWidth: number;
}

export const defaultWarningLimits: WarningLimits = {
  titleLength: 110,
  summaryLength: 300,
  photoWidth: 2 * Math.max(...defaultImageOptions.widths),
};

// Characters as a reader counts them: a letter with its harakat is one, whatever the code points.
const graphemes = new Intl.Segmenter("ar", { granularity: "grapheme" });
const length = (text: string) => [...graphemes.segment(text)].length;

/** A title or summary longer than readers will see whole. */
export function textWarnings(
  article: Article,
  limits: WarningLimits,
  lineOf: (field: string) => number | undefined,
): Problem[] {
  const warnings: Problem[] = [];
  const check = (field: "title" | "summary", limit: number, seen: string, fix: string) => {
    const text = article[field];
    // No text has more graphemes than code units: most need no segmenting at all.
    if (text === undefined || text.length <= limit || length(text) <= limit) return;
    warnings.push({
      file: article.file,
      line: lineOf(field),
      field,
      message: `the ${field} is ${length(text)} characters long; ${seen}`,
      fix,
    });
  };
  check(
    "title",
    limits.titleLength,
    `search results and feed readers cut headlines after about ${limits.titleLength}`,
    "shorten the headline; put the details in the summary",
  );
  check(
    "summary",
    limits.summaryLength,
    `feed readers and search results show about the first ${limits.summaryLength}`,
    "keep the summary to one or two sentences; the rest belongs in the body",
  );
  return warnings;
}

/**
 * Photos far wider than any published size: readers never see the extra pixels, but every clone of
 * the repository and every build carries them. Sizes come from the image pipeline, which has
 * already processed every photo of a published article.
 */
export async function photoWarnings(
  file: string,
  photos: { photo: PhotoRef; field: string; line?: number }[],
  limits: WarningLimits,
  images: ImagePipeline,
): Promise<Problem[]> {
  const seen = new Set<string>();
  const unique = photos.filter(({ photo }) => !seen.has(photo.sourcePath) && seen.add(photo.sourcePath));
  const found = await Promise.all(
    unique.map(async ({ photo, field, line }): Promise<Problem | undefined> => {
      const { width, height } = (await images.process(photo.sourcePath)).original;
      if (width <= limits.photoWidth) return undefined;
      return {
        file,
        field,
        ...(line !== undefined && { line }),
        message: `photo ${photo.relativePath} is ${width}x${height} px, far wider than the site ever shows (the limit is ${limits.photoWidth} px)`,
        fix: `resize it to at most ${limits.photoWidth} px wide before adding it; the site makes every smaller size itself`,
      };
    }),
  );
  return found.filter((warning): warning is Problem => warning !== undefined);
}
