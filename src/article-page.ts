import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import type { Article } from "./article.ts";
import type { Category } from "./config.ts";
import type { ArticleDate } from "./dates.ts";
import { pictureMarkup, type ImageFile, type ImagePipeline, type SocialCard } from "./images.ts";
import { createMarkdownEnv, type MarkdownEnv } from "./markdown/index.ts";
import { resolvePhoto, type PhotoRef } from "./photos.ts";
import type { Problem } from "./problems.ts";

/** What a list of articles shows of each: enough for a card, without the body. */
export interface Teaser {
  url: string;
  title: string;
  summary?: string;
  date: ArticleDate;
  categories: Category[];
  draft: boolean;
}

/** The lead photo as the page shows it: `<picture>` markup plus the words around it. */
export interface LeadImage {
  html: string;
  alt: string;
  caption?: string;
  credit?: string;
}

export interface ArticlePage extends Article, Teaser {
  /** The body, rendered. */
  html: string;
  lead?: LeadImage;
  /** Every image file the page uses, to publish. */
  files: ImageFile[];
  related: Teaser[];
  /** 1200x630 JPEG for `og:image`, made from the lead photo; absent without a lead photo. */
  socialCard?: SocialCard;
}

/** An article between validation and rendering: its Markdown parsed, its photos found. */
export interface PreparedArticle {
  article: Article;
  url: string;
  tokens: Token[];
  env: MarkdownEnv;
  leadPhoto?: PhotoRef;
}

export function articleUrl(article: Article): string {
  const local = article.date.dateTime;
  return `/${local.toFormat("yyyy")}/${local.toFormat("MM")}/${article.slug}/`;
}

/** Parses the body (collecting its problems and photos) without rendering it yet. */
export function prepareArticle(article: Article, articlePath: string, md: MarkdownIt, problems: Problem[]): PreparedArticle {
  const env = createMarkdownEnv({ file: article.file, articlePath, bodyLine: article.bodyLine });
  const tokens = md.parse(article.body, env);
  let leadPhoto: PhotoRef | undefined;
  if (article.image) {
    const found = resolvePhoto(articlePath, article.image.src);
    if ("error" in found) problems.push({ file: article.file, field: "image.src", line: article.image.line, message: found.error, fix: found.fix });
    else leadPhoto = found;
  }
  return { article, url: articleUrl(article), tokens, env, ...(leadPhoto && { leadPhoto }) };
}

/**
 * Runs the article's photos through the image pipeline, then renders the body with their
 * `<picture>` markup. A photo the pipeline refuses becomes a problem naming article, photo and reason.
 */
export async function renderArticlePage(prepared: PreparedArticle, md: MarkdownIt, images: ImagePipeline, problems: Problem[]): Promise<ArticlePage | undefined> {
  const { article, env, leadPhoto } = prepared;
  const files: ImageFile[] = [];
  let failed = false;
  const attempt = async <T>(photo: PhotoRef, field: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      failed = true;
      problems.push({
        file: article.file, field, ...(field === "image.src" && { line: article.image?.line }),
        message: `photo ${photo.relativePath} cannot be used: ${(error as Error).message}`,
        fix: "replace it with an intact JPEG, PNG, WebP, AVIF or GIF photo within the size limit",
      });
      return undefined;
    }
  };

  // Collected in the body's order, not as encodes finish: the same list on every build.
  const bodyFiles = await Promise.all(env.photos.map((photo) => attempt(photo, "image in body", async () => {
    const image = await images.process(photo.sourcePath);
    env.pictures.set(photo.sourcePath, image);
    return image.files;
  })));
  files.push(...bodyFiles.flatMap((found) => found ?? []));
  let lead: LeadImage | undefined;
  let socialCard: SocialCard | undefined;
  if (leadPhoto && article.image) {
    const { alt, caption, credit } = article.image;
    // The card only after the picture set: a bad photo is reported once.
    const image = await attempt(leadPhoto, "image.src", () => images.process(leadPhoto.sourcePath));
    const card = image && await attempt(leadPhoto, "image.src", () => images.socialCard(leadPhoto.sourcePath));
    if (image && card) {
      lead = { html: pictureMarkup(image, { alt, sizes: images.sizes, lead: true }), alt, ...(caption && { caption }), ...(credit && { credit }) };
      socialCard = card;
      files.push(...image.files, card);
    }
  }
  if (failed) return undefined;
  env.sizes = images.sizes;
  const html = md.renderer.render(prepared.tokens, md.options, env);
  return {
    ...article, url: prepared.url, html, files, related: [],
    ...(lead && { lead }), ...(socialCard && { socialCard }),
  };
}
