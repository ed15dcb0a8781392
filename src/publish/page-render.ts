import {
  type BodyCache,
  bodyName,
  type EntryRecord,
  entryFrom,
  openBodies,
  readPrepared,
  type TeaserData,
  teaserFrom,
} from "../articles/article-entry.ts";
import { type ActiveContent, scanPage } from "../build/active-content.ts";
import { createMarkdownEnv } from "../markdown/env.ts";
import { type ArticlePhotos, type ArticleView, leadImage, renderBody } from "../site/article-page.ts";
import type { AuthorProfile } from "../site/authors.ts";
import type { CollectionPage, CollectionView } from "../site/collections.ts";
import type { SiteConfig } from "../site/config.ts";
import { dateFromData, lastModified } from "../site/dates.ts";
import type { CategoryPage } from "../site/sections.ts";
import { createSiteView, type SiteView, siteMarkdown } from "../site/site-view.ts";
import { type CompressionSettings, encoders } from "../util/compression.ts";
import type { Asset } from "./assets.ts";
import { createContentCache } from "./content-cache.ts";
import type { Feed, FeedContext } from "./feeds.ts";
import { minifyHtml } from "./minify.ts";

/** What every page is rendered with besides its own content (the templates' `PageContext`). */
export interface PageContext {
  site: SiteView;
  /** The one stylesheet, inlined into every page. */
  stylesheet: string;
  /** The outlet's logo: the browser tab's icon and the publisher's logo in structured data. */
  logo: Asset;
}

/** What every page of a build is rendered with: plain data, the same in every worker thread. */
export interface RenderSettings {
  root: string;
  config: SiteConfig;
  /** The minified stylesheet every page inlines. */
  stylesheet: string;
  logo: Asset;
  /** Classes whose whitespace the minifier keeps (see src/publish/minify.ts). */
  keepWhitespace: string[];
  /** Markup put at the top of every page's body: the dev server's list of article problems; empty for a build. */
  problemsPanel: string;
  /** `.br` and `.gz` siblings with these settings, or none (the dev server). */
  compression?: CompressionSettings;
  /** Folder of finished pages by key. */
  cacheDir: string;
  /** Rendered bodies, by what they are made of, and the `sizes` attribute pictures get. */
  bodies: BodyCache;
  /** The newsroom's profiles of its bylines, by byline. */
  authors: Record<string, AuthorProfile>;
}

/** The page with `markup` first in its body: how the dev server shows article problems on every page. */
export function withBodyPrefix(html: string, markup: string): string {
  return html.replace(/<body[^>]*>/, (body) => body + markup);
}

/** One page to render: an article from its file and photos, or a category page from its teasers. */
export type PageJob =
  | { kind: "article"; key: string; url: string; entry: EntryRecord; photos: ArticlePhotos; related: TeaserData[] }
  | {
      kind: "category";
      key: string;
      url: string;
      category: string;
      /** The page's URL, number and links, as `paginate` made them. */
      paging: Omit<CategoryPage, "category" | "articles">;
      articles: TeaserData[];
    }
  | { kind: "collection"; key: string; url: string; page: Omit<CollectionPage, "articles">; articles: TeaserData[] }
  | {
      kind: "feed";
      key: string;
      /** The page the feed follows. */
      url: string;
      format: "atom" | "json";
      feed: Omit<Feed, "articles">;
      entries: EntryRecord[];
    };

/** The file names a finished page has in the page cache: the page, then its compressed siblings. */
export function pageCacheNames(key: string, settings: Pick<RenderSettings, "compression">): string[] {
  return [`${key}.html`, ...(settings.compression ? [`${key}.html.br`, `${key}.html.gz`] : [])];
}

export type PageRenderer = (job: PageJob) => Promise<ActiveContent[]>;

/**
 * How pages look: the templates, and the rule that puts the path prefix into a page's URLs. Given by the caller, so
 * this core imports neither.
 */
export interface PageTemplates {
  article(context: PageContext, article: ArticleView): string;
  category(context: PageContext, page: CategoryPage): string;
  /** A tag's, an author's or a story's page, their indexes, a year's or a month's archive. */
  collection(context: PageContext, page: CollectionView): string;
  /** A feed of titles and summaries, as Atom or JSON Feed. */
  feed(format: "atom" | "json", feed: Feed, context: FeedContext): string;
  /** The page with the site's path prefix in every URL, `pageUrl` being its own. */
  withPathPrefix(html: string, pageUrl: string, pathPrefix: string): Promise<string>;
}

/**
 * Renders, minifies, scans and compresses pages into the page cache, where the build links them
 * from. A page with active content is reported and never cached, so every build reports it again.
 * Used by the worker threads, and in the build's own thread when only a few pages changed.
 */
export function createPageRenderer(settings: RenderSettings, templates: PageTemplates): PageRenderer {
  const { config } = settings;
  const md = siteMarkdown(config);
  const context: PageContext = {
    site: createSiteView(config, settings.authors),
    stylesheet: settings.stylesheet,
    logo: settings.logo,
  };
  const cache = createContentCache(settings.cacheDir);
  const bodies = openBodies(settings.bodies);
  const withPrefix = (html: string, url: string) =>
    config.pathPrefix === "/" ? html : templates.withPathPrefix(html, url, config.pathPrefix);

  const draw = async (job: Exclude<PageJob, { kind: "feed" }>): Promise<string> => {
    if (job.kind === "collection") {
      const events = (job.page.chronology ?? []).map(({ date, text, url, title }) => ({
        date: dateFromData(date, config.timeZone),
        html: md.renderInline(text, createMarkdownEnv({ file: url, articlePath: "", bodyLine: 1 })),
        url,
        title,
      }));
      const articles = job.articles.map((teaser) => teaserFrom(teaser, config));
      return templates.collection(context, { ...job.page, articles, events });
    }
    if (job.kind === "category") {
      const category = config.categories.find((c) => c.key === job.category)!;
      const articles = job.articles.map((teaser) => teaserFrom(teaser, config));
      return templates.category(context, { ...job.paging, category, articles });
    }
    const entry = entryFrom(job.entry, config);
    // A photo-less article's body was rendered when it was parsed; any other is parsed again from exactly the entry's
    // bytes.
    const body =
      bodies.readSync(bodyName(settings.bodies, job.entry.sourceHash, job.photos))?.toString("utf8") ??
      renderBody(readPrepared(job.entry, settings.root, config, md), md, job.photos, settings.bodies.sizes);
    const lead = leadImage(entry.image, job.photos, settings.bodies.sizes);
    return templates.article(context, {
      ...entry,
      html: body,
      files: job.photos.files,
      related: job.related.map((teaser) => teaserFrom(teaser, config)),
      ...(lead && { lead }),
      ...(job.photos.socialCard && { socialCard: job.photos.socialCard }),
    });
  };

  const writeCached = (key: string, bytes: Buffer) => {
    const [name, ...siblings] = pageCacheNames(key, settings);
    const compressed = settings.compression ? encoders(settings.compression).map(({ encode }) => encode(bytes)) : [];
    siblings.forEach((sibling, index) => {
      cache.writeSync(sibling, compressed[index]!);
    });
    // The page last: its presence says the whole set is there.
    cache.writeSync(name!, bytes);
  };

  return async (job) => {
    if (job.kind === "feed") {
      // Feeds are data, not pages: no minifying, no path prefix (their URLs are absolute), nothing to scan.
      const articles = job.entries.map((record) => ({ ...entryFrom(record, config), html: "" }));
      const newest = Math.max(...articles.map((article) => lastModified(article).millis));
      const text = templates.feed(
        job.format,
        { ...job.feed, articles },
        {
          config,
          logo: settings.logo,
          // Only an empty feed is dated by the build, and these never are.
          buildTime: new Date(newest),
          content: () => undefined,
        },
      );
      writeCached(job.key, Buffer.from(text));
      return [];
    }
    let html = await draw(job);
    if (settings.problemsPanel) html = withBodyPrefix(html, settings.problemsPanel);
    html = await minifyHtml(await withPrefix(html, job.url), { keepWhitespace: settings.keepWhitespace });
    const found = scanPage(`${job.url.slice(1)}index.html`, html);
    if (found.length > 0) return found;
    writeCached(job.key, Buffer.from(html));
    return [];
  };
}
