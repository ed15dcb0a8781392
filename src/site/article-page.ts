import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import type { Article, ArticleImage } from "../articles/article.ts";
import { type PhotoRef, resolvePhoto } from "../articles/photos.ts";
import type { Problem } from "../articles/problems.ts";
import { pictureMarkup } from "../images/picture-markup.ts";
import type { ImageFile, ImagePipeline, ProcessedImage, SocialCard } from "../images/pipeline.ts";
import { createMarkdownEnv, type MarkdownEnv } from "../markdown/index.ts";
import type { Category } from "./config.ts";
import type { ArticleDate } from "./dates.ts";

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

/** An article page as the template shows it: everything but the Markdown source. */
export type ArticleView = Omit<ArticlePage, "body" | "bodyLine">;

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
export function prepareArticle(
  article: Article,
  articlePath: string,
  md: MarkdownIt,
  problems: Problem[],
): PreparedArticle {
  const env = createMarkdownEnv({ file: article.file, articlePath, bodyLine: article.bodyLine });
  const tokens = md.parse(article.body, env);
  let leadPhoto: PhotoRef | undefined;
  if (article.image) {
    const found = resolvePhoto(articlePath, article.image.src, {
      file: article.file,
      field: "image.src",
      line: article.image.line,
    });
    problems.push(...found.problems);
    leadPhoto = found.value;
  }
  return { article, url: articleUrl(article), tokens, env, ...(leadPhoto && { leadPhoto }) };
}

/**
 * What the image pipeline made of an article's photos, as plain data (a worker thread renders the
 * page from it): each body photo's picture set by source path, the lead photo's, its social card, and
 * every file the page uses, in the order the article uses them.
 */
export interface ArticlePhotos {
  pictures: [string, ProcessedImage][];
  lead?: ProcessedImage;
  socialCard?: SocialCard;
  files: ImageFile[];
}

/**
 * Runs the article's photos through the image pipeline. A photo the pipeline refuses becomes a
 * problem naming article, photo and reason, and the result is undefined: the article is left out.
 */
export async function processArticlePhotos(
  article: Pick<Article, "file" | "image">,
  bodyPhotos: PhotoRef[],
  leadPhoto: PhotoRef | undefined,
  images: ImagePipeline,
  problems: Problem[],
): Promise<ArticlePhotos | undefined> {
  let failed = false;
  const attempt = async <T>(photo: PhotoRef, field: string, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work();
    } catch (error) {
      failed = true;
      problems.push({
        file: article.file,
        field,
        ...(field === "image.src" && { line: article.image?.line }),
        message: `photo ${photo.relativePath} cannot be used: ${(error as Error).message}`,
        fix: "replace it with an intact JPEG, PNG, WebP, AVIF or GIF photo within the size limit",
      });
      return undefined;
    }
  };
  // Collected in the body's order, not as encodes finish: the same list on every build.
  const body = await Promise.all(
    bodyPhotos.map((photo) =>
      attempt(
        photo,
        "image in body",
        async () => [photo.sourcePath, await images.process(photo.sourcePath)] as [string, ProcessedImage],
      ),
    ),
  );
  const pictures = body.filter((found): found is [string, ProcessedImage] => found !== undefined);
  const files = pictures.flatMap(([, image]) => image.files);
  let lead: ProcessedImage | undefined;
  let socialCard: SocialCard | undefined;
  if (leadPhoto) {
    // The card only after the picture set: a bad photo is reported once.
    lead = await attempt(leadPhoto, "image.src", () => images.process(leadPhoto.sourcePath));
    socialCard = lead && (await attempt(leadPhoto, "image.src", () => images.socialCard(leadPhoto.sourcePath)));
    if (lead && socialCard) files.push(...lead.files, socialCard);
  }
  if (failed) return undefined;
  return { pictures, files, ...(lead && { lead }), ...(socialCard && { socialCard }) };
}

/** The body as HTML, with the photos' `<picture>` markup; `sizes` is the pipeline's `sizes` attribute. */
export function renderBody(prepared: PreparedArticle, md: MarkdownIt, photos: ArticlePhotos, sizes: string): string {
  const { env } = prepared;
  env.pictures = new Map(photos.pictures);
  env.sizes = sizes;
  return md.renderer.render(prepared.tokens, md.options, env);
}

/** The lead photo as the page shows it, when the article has one and it went through the pipeline. */
export function leadImage(
  image: ArticleImage | undefined,
  photos: ArticlePhotos,
  sizes: string,
): LeadImage | undefined {
  return (
    photos.lead &&
    image && {
      html: pictureMarkup(photos.lead, { alt: image.alt, sizes, lead: true }),
      alt: image.alt,
      ...(image.caption && { caption: image.caption }),
      ...(image.credit && { credit: image.credit }),
    }
  );
}
