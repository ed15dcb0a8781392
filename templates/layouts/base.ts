import { feedTitle, feedTypes, feedUrls } from "../../src/publish/feeds.ts";
import { contentSecurityPolicy, referrerPolicy, styleHash } from "../../src/publish/headers.ts";
import type { PageContext } from "../../src/publish/page-render.ts";
import { type JsonLd, jsonLdText } from "../../src/publish/structured-data.ts";
import type { SiteConfig } from "../../src/site/config.ts";
import { hostProfiles } from "../../src/site/hosts.ts";
import { categoryUrl } from "../../src/site/sections.ts";
import { absoluteUrl, searchPageUrl } from "../../src/site/urls.ts";
import { html, raw, type SafeHtml } from "../html.ts";
import { labels } from "../labels.ts";
import { type SocialFacts, socialMeta } from "../partials/social-meta.ts";

export type { PageContext };

export interface PageShell {
  /** The document title, before the site name. Omitted on the home page. */
  title?: string;
  /** Meta description, also the shared link's. */
  description?: string;
  /** Site-relative URL of the page, for the canonical link. */
  url: string;
  /** Category key of the section the page belongs to: marked in the navigation, its feeds linked. */
  section?: string;
  main: SafeHtml;
  /** What a shared link shows beyond title, description and URL: the article's picture and facts. */
  social?: Pick<SocialFacts, "image" | "article">;
  /** schema.org objects, one JSON-LD block each. */
  structuredData?: JsonLd[];
  /** Kept out of search results (the 404 page): `noindex` instead of a canonical link and social tags. */
  noindex?: boolean;
  /** The page's own feeds, besides the site's (a tag's, an author's, a story's). */
  feed?: { title: string; atomUrl: string; jsonUrl: string };
}

/** `<link rel="alternate">` to the site's feeds, then to the section's. */
function feedLinks(config: SiteConfig, section: string | undefined): SafeHtml[] {
  const category = config.categories.find((c) => c.key === section);
  return [undefined, ...(category ? [category] : [])].map((feedCategory) => {
    const urls = feedUrls(feedCategory);
    return alternateLinks(feedTitle(config, feedCategory), { atomUrl: urls.atom, jsonUrl: urls.json });
  });
}

function alternateLinks(title: string, urls: { atomUrl: string; jsonUrl: string }): SafeHtml {
  return html`
<link rel="alternate" type="${feedTypes.atom}" title="${title} (Atom)" href="${urls.atomUrl}">
<link rel="alternate" type="${feedTypes.json}" title="${title} (JSON Feed)" href="${urls.jsonUrl}">`;
}

/**
 * Where the host sends no headers of ours (GitHub Pages), the security policy and the referrer policy of `_headers`
 * as `<meta>` elements, before the stylesheet they allow. What a `<meta>` cannot carry is in docs/hosts.md.
 */
function policyInPage(context: PageContext, page: PageShell): SafeHtml | "" {
  if (!hostProfiles[context.site.config.host].policyInPages) return "";
  const policy = contentSecurityPolicy([styleHash(context.stylesheet)], {
    search: page.url === searchPageUrl,
    inPage: true,
  });
  return html`
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="referrer" content="${referrerPolicy}">`;
}

/**
 * The document every page shares: right-to-left Arabic, the stylesheet inline (no extra request,
 * no font downloads), a skip link, the section navigation and a back-to-top link that is a plain
 * in-page anchor, so it works without JavaScript. The head carries what machines read: the
 * canonical URL, feeds, social tags and JSON-LD, every absolute URL with the path prefix.
 */
export function baseLayout(context: PageContext, page: PageShell): string {
  const { config } = context.site;
  const title = page.title === undefined ? `${config.name} | ${config.tagline}` : `${page.title} | ${config.name}`;
  const canonical = absoluteUrl(config, page.url);
  return `<!doctype html>\n${html`<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${policyInPage(context, page)}
<title>${title}</title>
${page.description && html`<meta name="description" content="${page.description}">`}
${page.noindex ? html`<meta name="robots" content="noindex">` : html`<link rel="canonical" href="${canonical}">`}
<meta name="color-scheme" content="light dark">
<link rel="icon" type="${context.logo.type}" sizes="${context.logo.width}x${context.logo.height}" href="${context.logo.url}">${feedLinks(config, page.section)}${page.feed && alternateLinks(page.feed.title, page.feed)}${
    !page.noindex &&
    socialMeta(config, {
      title: page.title ?? config.name,
      url: canonical,
      ...(page.description && { description: page.description }),
      ...page.social,
    })
  }
<style>${raw(context.stylesheet)}</style>${(page.structuredData ?? []).map(
    (data) => html`
<script type="application/ld+json">${raw(jsonLdText(data))}</script>`,
  )}
</head>
<body>
<a class="skip-link" href="#main">${labels.skipToContent}</a>
<header class="site-header" id="top">
<a class="site-name" href="/">${config.name}</a>
<p class="tagline">${config.tagline}</p>
<nav aria-label="${labels.sectionsNav}"><ul class="sections">${config.categories.map(
    (category) => html`
<li><a href="${categoryUrl(category)}"${category.key === page.section && html` aria-current="page"`}>${category.label}</a></li>`,
  )}
</ul></nav>
<a class="search-link" href="${searchPageUrl}"${page.url === searchPageUrl && html` aria-current="page"`}>${labels.search.link}</a>
</header>
<main id="main" tabindex="-1">
${page.main}
</main>
<footer class="site-footer">
<a class="back-to-top" href="#top"><span aria-hidden="true">↑</span> ${labels.backToTop}</a>
<p><bdi>${config.name}</bdi></p>
</footer>
</body>
</html>`}\n`;
}
