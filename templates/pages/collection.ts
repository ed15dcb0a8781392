import { collectionFeed } from "../../src/publish/feeds.ts";
import { authorData, type Crumb, collectionStructuredData } from "../../src/publish/structured-data.ts";
import type { CollectionLink, CollectionPage, CollectionView } from "../../src/site/collections.ts";
import { html, raw } from "../html.ts";
import { labels } from "../labels.ts";
import { baseLayout, type PageContext } from "../layouts/base.ts";
import { cardList } from "../partials/card.ts";
import { pagedHeading, pager } from "../partials/pager.ts";
import { time } from "../partials/time.ts";

/** The heading a collection page has: the tag, the year or the month, with the number of a numbered page. */
function headingOf(page: CollectionPage): string {
  const name =
    page.kind === "tag-index"
      ? labels.tags
      : page.kind === "author-index"
        ? labels.authors
        : page.kind === "story-index"
          ? labels.stories
          : page.kind === "story"
            ? `${labels.story}: ${page.title}`
            : page.kind === "tag"
              ? `${labels.tag}: ${page.title}`
              : page.kind === "year"
                ? `${labels.archive} ${page.title}`
                : page.title;
  return pagedHeading(name, page);
}

/** How a reader got here from the home page, for the breadcrumbs' structured data. */
function trailOf(page: CollectionPage): Crumb[] {
  if (page.kind === "tag-index") return [{ name: labels.tags, url: page.url }];
  if (page.kind === "tag")
    return [
      { name: labels.tags, url: "/tags/" },
      { name: page.title, url: page.url },
    ];
  if (page.kind === "author-index") return [{ name: labels.authors, url: page.url }];
  if (page.kind === "story-index") return [{ name: labels.stories, url: page.url }];
  if (page.kind === "story") {
    return [
      { name: labels.stories, url: "/stories/" },
      { name: page.title, url: page.url },
    ];
  }
  if (page.kind === "author") {
    return [
      { name: labels.authors, url: "/authors/" },
      { name: page.title, url: page.url },
    ];
  }
  if (page.kind === "year") return [{ name: page.title, url: page.url }];
  const year = page.url.split("/")[1]!;
  return [
    { name: year, url: `/${year}/` },
    { name: page.title, url: page.url },
  ];
}

const linkList = (links: CollectionLink[], site: PageContext["site"]) =>
  html`<ul class="collection-links">${links.map(
    (link) =>
      html`<li><a href="${link.url}"><bdi>${link.label}</bdi></a> <span class="count">(${site.formatCount(link.count)})</span></li>`,
  )}</ul>`;

/**
 * A tag's page, the tag index, a year's or a month's archive: newest first, paged with "show more" as category pages
 * are.
 */
export function renderCollectionPage(context: PageContext, page: CollectionView): string {
  const { site } = context;
  const heading = headingOf(page);
  const main = html`<section class="collection" aria-labelledby="collection-heading">
<h1 id="collection-heading">${heading}</h1>
${page.profile?.role && html`<p class="author-role">${page.profile.role}</p>`}
${page.number === undefined && page.profile?.bio && html`<p class="author-bio">${page.profile.bio}</p>`}
${page.summary && html`<p class="summary">${page.summary}</p>`}
${page.links.length > 0 && linkList(page.links, site)}
${
  page.events.length > 0 &&
  html`<section class="timeline chronology" aria-labelledby="chronology-heading">
<h2 id="chronology-heading">${labels.chronology}</h2>
<ol>${page.events.map(
    (event) =>
      html`<li>${time(event.date, site)} ${raw(event.html)} <a class="event-source" href="${event.url}"><bdi>${event.title}</bdi></a></li>`,
  )}</ol>
</section>`
}
${page.articles.length > 0 && cardList(page.articles, site, { heading: "h2", withSummary: true })}
${pager(page)}
${
  (page.newer || page.older) &&
  html`<nav class="months" aria-label="${labels.otherMonths}">
${page.older && html`<a class="older-month" href="${page.older.url}">${labels.olderMonth}: ${page.older.label}</a>`}
${page.newer && html`<a class="newer-month" href="${page.newer.url}">${labels.newerMonth}: ${page.newer.label}</a>`}
</nav>`
}
</section>`;
  return baseLayout(context, {
    title: heading,
    url: page.url,
    main,
    description: `${heading} | ${site.config.name}`,
    ...(page.feed && { feed: collectionFeed(page, site.config) }),
    structuredData: collectionStructuredData(
      site.config,
      { title: heading, url: page.url },
      trailOf(page),
      page.kind === "author" ? authorData(site.config, page.title, page.profile) : undefined,
    ),
  });
}
