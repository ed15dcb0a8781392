import type { SiteConfig } from "../../src/config.ts";
import { categoryUrl } from "../../src/sections.ts";
import { html, raw, type SafeHtml } from "../html.ts";
import { labels } from "../labels.ts";

export interface PageShell {
  /** The document title, before the site name. Omitted on the home page. */
  title?: string;
  /** Meta description. */
  description?: string;
  /** Site-relative URL of the page, for the canonical link. */
  url: string;
  /** Category key of the section the page belongs to, to mark it in the navigation. */
  section?: string;
  main: SafeHtml;
}

/**
 * The document every page shares: right-to-left Arabic, the stylesheet inline (no extra request,
 * no font downloads), a skip link, the section navigation and a back-to-top link that is a plain
 * in-page anchor, so it works without JavaScript.
 */
export function baseLayout(config: SiteConfig, stylesheet: string, page: PageShell): string {
  const title = page.title === undefined ? `${config.name} | ${config.tagline}` : `${page.title} | ${config.name}`;
  return `<!doctype html>\n${html`<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${page.description && html`<meta name="description" content="${page.description}">`}
<link rel="canonical" href="${config.url + page.url}">
<meta name="color-scheme" content="light dark">
<style>${raw(stylesheet)}</style>
</head>
<body>
<a class="skip-link" href="#main">${labels.skipToContent}</a>
<header class="site-header" id="top">
<a class="site-name" href="/">${config.name}</a>
<p class="tagline">${config.tagline}</p>
<nav aria-label="${labels.sectionsNav}"><ul class="sections">${config.categories.map((category) => html`
<li><a href="${categoryUrl(category)}"${category.key === page.section && html` aria-current="page"`}>${category.label}</a></li>`)}
</ul></nav>
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
