// The markup half of eleventy-img alone: pages are rendered in worker threads that never encode a
// photo, and eleventy-img's entry module loads sharp and its whole pipeline (about 150 ms a thread).
import { generateHTML } from "@11ty/eleventy-img/src/generate-html.js";
import type { ProcessedImage } from "./pipeline.ts";

/**
 * `<picture>` markup with width/height (no layout shift), the placeholder colour behind the image,
 * and priority hints: the lead image loads first and eagerly, every other image lazily.
 */
export function pictureMarkup(
  image: ProcessedImage,
  attributes: { alt: string; sizes: string; lead: boolean },
): string {
  return generateHTML(image.formats, {
    alt: attributes.alt,
    sizes: attributes.sizes,
    decoding: "async",
    ...(attributes.lead ? { fetchpriority: "high" } : { loading: "lazy" }),
    style: `background-color:${image.placeholder}`,
  });
}
