import { newsSitemapUrl, type SitemapFile, sitemapUrl } from "../src/publish/sitemaps.ts";
import type { SiteConfig } from "../src/site/config.ts";
import { isoInstant } from "../src/site/dates.ts";
import type { ArticleEntry } from "../src/site/site.ts";
import { absoluteUrl } from "../src/site/urls.ts";
import { html as xml } from "./html.ts";
import { xmlDocument } from "./xml.ts";

const sitemapNamespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
const newsNamespace = "http://www.google.com/schemas/sitemap-news/0.9";

/** One file of the sitemap (https://www.sitemaps.org/protocol.html): a `urlset`, or a `sitemapindex` of them. */
export function renderSitemap(config: SiteConfig, file: SitemapFile): string {
  if (file.kind === "index") {
    return xmlDocument(xml`<sitemapindex xmlns="${sitemapNamespace}">${file.parts.map(
      (part) => xml`
<sitemap><loc>${absoluteUrl(config, part)}</loc></sitemap>`,
    )}
</sitemapindex>`);
  }
  return xmlDocument(xml`<urlset xmlns="${sitemapNamespace}">${file.entries.map(
    (entry) => xml`
<url><loc>${absoluteUrl(config, entry.url)}</loc>${entry.lastModified && xml`<lastmod>${isoInstant(entry.lastModified)}</lastmod>`}</url>`,
  )}
</urlset>`);
}

/** A Google News sitemap: the recent articles with the publication's name, language `ar`, date and title. */
export function renderNewsSitemap(
  config: SiteConfig,
  articles: Pick<ArticleEntry, "url" | "date" | "title">[],
): string {
  return xmlDocument(xml`<urlset xmlns="${sitemapNamespace}" xmlns:news="${newsNamespace}">${articles.map(
    (article) => xml`
<url><loc>${absoluteUrl(config, article.url)}</loc><news:news><news:publication><news:name>${config.name}</news:name><news:language>ar</news:language></news:publication><news:publication_date>${isoInstant(article.date)}</news:publication_date><news:title>${article.title}</news:title></news:news></url>`,
  )}
</urlset>`);
}

/** Lets every crawler in and points it to both sitemaps. */
export function renderRobots(config: SiteConfig): string {
  return [
    "User-agent: *",
    "Disallow:",
    "",
    `Sitemap: ${absoluteUrl(config, sitemapUrl)}`,
    `Sitemap: ${absoluteUrl(config, newsSitemapUrl)}`,
    "",
  ].join("\n");
}
