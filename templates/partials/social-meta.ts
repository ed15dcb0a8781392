import type { SiteConfig } from "../../src/site/config.ts";
import { type ArticleDate, isoInstant } from "../../src/site/dates.ts";
import { html, type SafeHtml } from "../html.ts";

/**
 * What a shared link shows: Open Graph (Facebook, WhatsApp, Telegram, …) and a Twitter/X card, which takes its title,
 * description and image from Open Graph's when it has none of its own: only what X has no Open Graph name for is
 * written twice (about half a kilobyte of every page saved).
 */
export interface SocialFacts {
  title: string;
  description?: string;
  /** Absolute canonical URL. */
  url: string;
  /** Absolute URL and size of the picture; absent, a small text card is shown. */
  image?: { url: string; width: number; height: number; type: string; alt: string };
  /** For `og:type` article: when it was published and changed, its section and tags. */
  article?: { published: ArticleDate; modified: ArticleDate; section?: string; tags: string[] };
}

export function socialMeta(config: SiteConfig, facts: SocialFacts): SafeHtml {
  const { image, article } = facts;
  const meta = (property: string, content: string | number) => html`
<meta property="${property}" content="${content}">`;
  const named = (name: string, content: string) => html`
<meta name="${name}" content="${content}">`;
  return html`${meta("og:type", article ? "article" : "website")}${meta("og:locale", "ar_AR")}${meta("og:site_name", config.name)}${meta("og:title", facts.title)}${facts.description && meta("og:description", facts.description)}${meta("og:url", facts.url)}${
    image && [
      meta("og:image", image.url),
      meta("og:image:type", image.type),
      meta("og:image:width", image.width),
      meta("og:image:height", image.height),
      image.alt && meta("og:image:alt", image.alt),
    ]
  }${
    article && [
      meta("article:published_time", isoInstant(article.published)),
      meta("article:modified_time", isoInstant(article.modified)),
      article.section && meta("article:section", article.section),
      article.tags.map((tag) => meta("article:tag", tag)),
    ]
  }${named("twitter:card", image ? "summary_large_image" : "summary")}${image?.alt && named("twitter:image:alt", image.alt)}`;
}
