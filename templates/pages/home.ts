import { homeStructuredData } from "../../src/publish/structured-data.ts";
import type { Sections } from "../../src/site/sections.ts";
import { html } from "../html.ts";
import { labels } from "../labels.ts";
import { baseLayout, type PageContext } from "../layouts/base.ts";
import { cardList } from "../partials/card.ts";

/** The newest lead-category articles first, then the latest of every category. */
export function renderHome(context: PageContext, home: Sections["home"]): string {
  const { site } = context;
  const { config } = site;
  const main = html`<h1 class="visually-hidden">${config.name}</h1>
${
  home.lead.length > 0 &&
  html`<section class="home-lead" aria-labelledby="home-lead-heading">
<h2 id="home-lead-heading">${labels.leadStories}</h2>
${cardList(home.lead, site, { heading: "h3", withSummary: true })}
</section>`
}
${home.sections
  .filter((section) => section.articles.length > 0)
  .map(
    (section) => html`
<section class="home-section" aria-labelledby="section-${section.category.slug}">
<h2 id="section-${section.category.slug}"><a href="${section.url}">${section.category.label}</a></h2>
${cardList(section.articles, site, { heading: "h3", withSummary: false })}
<p class="more"><a href="${section.url}">${labels.moreIn(section.category.label)}</a></p>
</section>`,
  )}`;
  return baseLayout(context, {
    url: "/",
    main,
    description: config.tagline,
    structuredData: homeStructuredData(config, context.logo),
  });
}
