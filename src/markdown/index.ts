import MarkdownIt, { type PluginWithParams } from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import container from "markdown-it-container";
import { type PhotoRef, resolvePhoto } from "../articles/photos.ts";
import { pictureMarkup } from "../images/picture-markup.ts";
import { lineOfToken, type MarkdownEnv } from "./env.ts";
import { type TimelineOptions, timelinePlugin } from "./timeline.ts";

export type { MarkdownEnv } from "./env.ts";
export { createMarkdownEnv } from "./env.ts";

/**
 * The article Markdown dialect. Raw HTML is escaped, not passed through (articles are data), and
 * markdown-it's own link check already refuses `javascript:` and `vbscript:` URLs.
 */
export function createMarkdown(options: TimelineOptions): MarkdownIt {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.use(timelinePlugin, options);
  // `::: poem` … `:::` → <div class="poem">: the stylesheet keeps each verse's line breaks and the
  // spaces between its halves as written (`white-space: pre-wrap`), and so does the HTML minifier.
  md.use(container as unknown as PluginWithParams, "poem");
  md.core.ruler.push("article_headings", demoteTitleHeadings);
  md.core.ruler.push("article_photos", resolveBodyPhotos);
  const renderImage = md.renderer.rules.image!;
  md.renderer.rules.image = (tokens, index, renderOptions, env: MarkdownEnv, self) => {
    const token = tokens[index]!;
    const picture = env.pictures.get((token.meta as { photo?: PhotoRef } | null)?.photo?.sourcePath ?? "");
    if (picture)
      return pictureMarkup(picture, {
        alt: self.renderInlineAsText(token.children ?? [], renderOptions, env),
        sizes: env.sizes,
        lead: false,
      });
    token.attrSet("loading", "lazy");
    token.attrSet("decoding", "async");
    return renderImage(tokens, index, renderOptions, env, self);
  };
  return md;
}

/** The page's headline is the only `<h1>`: a `#` heading in the body becomes a section heading. */
function demoteTitleHeadings(state: StateCore): void {
  for (const token of state.tokens) {
    if ((token.type === "heading_open" || token.type === "heading_close") && token.tag === "h1") token.tag = "h2";
  }
}

/** Body photos resolve next to the article; the image pipeline then turns each into a `<picture>`. */
function resolveBodyPhotos(state: StateCore): void {
  const env = state.env as MarkdownEnv;
  for (const block of state.tokens) {
    for (const token of block.children ?? []) {
      if (token.type !== "image") continue;
      const src = token.attrGet("src") ?? "";
      const { value: photo, problems } = resolvePhoto(env.articlePath, src, {
        file: env.file,
        line: lineOfToken(env, block.map),
        field: "image in body",
      });
      if (!photo) {
        env.problems.push(...problems);
        continue;
      }
      if (token.content.trim() === "") {
        env.problems.push({
          file: env.file,
          line: lineOfToken(env, block.map),
          field: "image in body",
          message: `photo "${src}" has no description`,
          fix: "describe it for readers who cannot see it: ![وصف الصورة](./photo.jpg)",
        });
      }
      env.photos.push(photo);
      token.meta = { photo };
    }
  }
}
