import { type AuthorProfile, authorUrl } from "../site/authors.ts";
import type { SiteConfig } from "../site/config.ts";
import { isoInstant, lastModified } from "../site/dates.ts";
import { categoryUrl } from "../site/sections.ts";
import type { ArticlePage } from "../site/site.ts";
import { absoluteUrl } from "../site/urls.ts";
import type { Asset } from "./assets.ts";

/** One schema.org JSON-LD object. */
export type JsonLd = Record<string, unknown>;

type UrlConfig = Pick<SiteConfig, "name" | "tagline" | "url" | "pathPrefix">;
/** What an article's structured data uses of the article; of its social card, only where and how big it is. */
type ArticleFacts = Pick<
  ArticlePage,
  "url" | "title" | "summary" | "date" | "updated" | "corrections" | "author" | "categories" | "tags"
> & {
  socialCard?: { url: string; width: number; height: number };
};

const context = "https://schema.org";

/** The outlet, as the publisher of every article and the subject of the home page. */
function organization(config: UrlConfig, logo: Asset): JsonLd {
  return {
    "@type": "NewsMediaOrganization",
    "@id": absoluteUrl(config, "/#organization"),
    name: config.name,
    url: absoluteUrl(config, "/"),
    logo: { "@type": "ImageObject", url: absoluteUrl(config, logo.url), width: logo.width, height: logo.height },
  };
}

/**
 * A `NewsArticle` and its `BreadcrumbList` (home > first category > article). Without a byline the
 * outlet is the author; the image is the social card, present only when the article has a lead photo.
 */
export function articleStructuredData(
  config: UrlConfig,
  logo: Asset,
  article: ArticleFacts,
  author?: AuthorProfile,
): JsonLd[] {
  const url = absoluteUrl(config, article.url);
  const publisher = organization(config, logo);
  const card = article.socialCard;
  const newsArticle: JsonLd = {
    "@context": context,
    "@type": "NewsArticle",
    mainEntityOfPage: url,
    url,
    headline: article.title,
    ...(article.summary && { description: article.summary }),
    datePublished: isoInstant(article.date),
    dateModified: isoInstant(lastModified(article)),
    author: article.author
      ? [authorData(config, article.author, author)]
      : [{ "@type": publisher["@type"], name: config.name, url: publisher.url }],
    publisher,
    ...(card && {
      image: [{ "@type": "ImageObject", url: absoluteUrl(config, card.url), width: card.width, height: card.height }],
    }),
    inLanguage: "ar",
    articleSection: article.categories.map((category) => category.label),
    ...(article.tags.length > 0 && { keywords: article.tags }),
    ...(article.corrections.length > 0 && {
      correction: article.corrections.map((correction) => ({
        "@type": "CorrectionComment",
        datePublished: isoInstant(correction.date),
        text: correction.text,
      })),
    }),
  };
  const section = article.categories[0];
  const trail = [
    { name: config.name, url: "/" },
    ...(section ? [{ name: section.label, url: categoryUrl(section) }] : []),
    { name: article.title, url: article.url },
  ];
  return [newsArticle, breadcrumbList(config, trail)];
}

/** A step of a breadcrumb trail: a page's name and site-relative URL. */
export interface Crumb {
  name: string;
  url: string;
}

function breadcrumbList(config: UrlConfig, trail: Crumb[]): JsonLd {
  return {
    "@context": context,
    "@type": "BreadcrumbList",
    itemListElement: trail.map((step, index) => ({
      "@type": "ListItem",
      position: index + 1,
      name: step.name,
      item: absoluteUrl(config, step.url),
    })),
  };
}

/** A listing page other than a category (a tag's, a month's): a `CollectionPage` and its trail from the home page. */
export function collectionStructuredData(
  config: UrlConfig,
  page: { title: string; url: string },
  trail: Crumb[],
  about?: JsonLd,
): JsonLd[] {
  const collection: JsonLd = {
    "@context": context,
    "@type": "CollectionPage",
    name: page.title,
    url: absoluteUrl(config, page.url),
    inLanguage: "ar",
    isPartOf: { "@type": "WebSite", name: config.name, url: absoluteUrl(config, "/") },
    ...(about && { about }),
  };
  return [collection, breadcrumbList(config, [{ name: config.name, url: "/" }, ...trail])];
}

/**
 * A byline as schema.org sees it: a `Person`, or an `Organization` for a desk, with its page on the site as its
 * `url`.
 */
export function authorData(config: UrlConfig, name: string, profile?: AuthorProfile): JsonLd {
  return {
    "@type": profile?.kind === "desk" ? "Organization" : "Person",
    name,
    url: absoluteUrl(config, authorUrl(name)),
    ...(profile?.role && { jobTitle: profile.role }),
    ...(profile?.bio && { description: profile.bio }),
  };
}

/** The home page's blocks: the outlet itself and the website it publishes. */
export function homeStructuredData(config: UrlConfig, logo: Asset): JsonLd[] {
  const publisher = organization(config, logo);
  return [
    { "@context": context, ...publisher },
    {
      "@context": context,
      "@type": "WebSite",
      name: config.name,
      description: config.tagline,
      url: absoluteUrl(config, "/"),
      inLanguage: "ar",
      publisher,
    },
  ];
}

/**
 * The text of a `<script type="application/ld+json">` block. `<`, `>` and `&` are written as JSON
 * escapes, so no field (a headline quoting `</script>`, say) can end the block or open a comment,
 * and the result is still exactly the same JSON; U+2028/U+2029 are escaped for older parsers.
 */
export function jsonLdText(data: JsonLd): string {
  return JSON.stringify(data).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
