// The search page's script, the one script of the site (docs/search.md): it searches the Pagefind index in the
// reader's browser and lists the results in the page's own right-to-left markup. Pagefind's bundled interfaces are
// not used: they are not made for right-to-left pages, and they would add their own stylesheet to every search.

const form = document.querySelector(".search-form");
const query = form.elements.namedItem("q");
const category = form.elements.namedItem("category");
const sort = form.elements.namedItem("sort");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const moreBlock = document.querySelector(".search-more");
const moreButton = moreBlock.querySelector("button");
const olderBlock = document.querySelector(".search-older");
const olderButton = olderBlock.querySelector("button");
const labels = form.dataset;
const pageSize = 10;
const plural = new Intl.PluralRules("ar");
const numbers = new Intl.NumberFormat("ar", { numberingSystem: labels.digits, useGrouping: true });

/** "نتيجة واحدة", "نتيجتان", "3 نتائج"…: the count in Arabic, by its plural category, in the site's digits. */
function countText(count) {
  const form = labels[`label${plural.select(count).replace(/^./, (c) => c.toUpperCase())}`] ?? labels.labelOther;
  return form.replace("{n}", numbers.format(count));
}

/**
 * The query as typed, and with the definite article "ال" taken off or put on each short word: Snowball's Arabic
 * stemmer, which Pagefind uses, treats ال differently on words of three to five letters, so "قوات" alone would miss
 * "القوات" (docs/search.md); longer words have one stem either way, and a variant would only cost a download. Up to
 * three words every combination is searched; beyond, the query as typed and with every word changed.
 */
function variants(text) {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const other = (word) => {
    const base = word.startsWith("ال") ? word.slice(2) : word;
    // Letters only (with their diacritics): a number takes no article.
    const letters = base.replace(/\p{M}/gu, "");
    if (!/^\p{L}{3,5}$/u.test(letters) || !/\p{Script=Arabic}/u.test(letters)) return word;
    return base === word ? `ال${word}` : base;
  };
  let combinations = [[]];
  if (words.length <= 3) {
    for (const word of words)
      combinations = combinations.flatMap((start) => [...new Set([word, other(word)])].map((w) => [...start, w]));
  } else {
    combinations = [words, words.map(other)];
  }
  return [...new Set(combinations.map((combination) => combination.join(" ")))];
}

/**
 * The results of every search as one list, a page at a time (only the results shown are ever loaded). Best first:
 * by Pagefind's score, each page once. Newest first: `groups` holds one group of searches per shard, newest shard
 * first, and each search is newest first already, so the next result is the newest of the heads of the current
 * shard's searches, then of the next shard's.
 */
function mergedResults(groups, newest) {
  const searches = groups.flat();
  const count = new Set(searches.flatMap((search) => search.results.map((result) => result.id))).size;
  if (!newest) {
    const best = new Map();
    for (const result of searches.flatMap((search) => search.results))
      if (!best.has(result.id) || best.get(result.id).score < result.score) best.set(result.id, result);
    const sorted = [...best.values()].sort((a, b) => b.score - a.score);
    return { count, next: async (n) => Promise.all(sorted.splice(0, n).map((result) => result.data())) };
  }
  const shards = groups.map((group) => group.map((search) => [...search.results]));
  const seen = new Set();
  const next = async (n) => {
    const taken = [];
    while (taken.length < n && shards.length > 0) {
      for (const queue of shards[0]) while (queue.length > 0 && seen.has(queue[0].id)) queue.shift();
      const heads = shards[0].filter((queue) => queue.length > 0);
      if (heads.length === 0) {
        shards.shift();
        continue;
      }
      const data = await Promise.all(heads.map((queue) => queue[0].data()));
      const newestAt = data.reduce((at, item, i) => (published(item) > published(data[at]) ? i : at), 0);
      seen.add(heads[newestAt][0].id);
      taken.push(data[newestAt]);
    }
    return taken;
  };
  return { count, next };
}

const published = (data) => Number(data.meta.published ?? 0);

/** Pagefind's excerpt, as text with its `<mark>` highlights and nothing else. */
function excerptNodes(excerpt) {
  const template = document.createElement("template");
  template.innerHTML = excerpt;
  return [...template.content.childNodes].map((node) => {
    if (node.nodeName !== "MARK") return document.createTextNode(node.textContent ?? "");
    const mark = document.createElement("mark");
    mark.textContent = node.textContent;
    return mark;
  });
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title ?? data.url;
  heading.append(link);
  const date = document.createElement("p");
  date.className = "search-date";
  date.textContent = data.meta.date ?? "";
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  excerpt.append(...excerptNodes(data.excerpt));
  item.append(heading, date, excerpt);
  return item;
}

let shards;
/** Shards a search covers at first, and adds each time the reader asks for older articles. */
const step = Number(labels.step);
/** How many shards, newest first, the search covers now. */
let searched = step;
const loadShards = () => {
  shards ??= fetch(`${labels.index}shards.json`).then((response) => {
    if (!response.ok) throw new Error(`shards.json: ${response.status}`);
    return response.json();
  });
  return shards;
};

/**
 * A Pagefind instance over the newest `count` shards. Each shard is an index of its own, merged into the newest
 * one's instance (Pagefind loads its WebAssembly once), and its pages carry the filter `shard`, its place, newest
 * first: Pagefind lists merged results by score, so "newest first" searches one shard at a time.
 */
let pagefind;
async function instanceFor(count) {
  const list = await loadShards();
  pagefind ??= import(`${labels.index}${list[0].path}pagefind.js`).then(async (module) => {
    // In the page's own thread: a query runs once per search, not per key, and Pagefind's worker would be one more
    // download (13 KB) of what pagefind.js already holds.
    const instance = module.createInstance({ basePath: `${labels.index}${list[0].path}`, noWorker: true });
    await instance.options({ baseUrl: labels.base, excerptLength: 24, mergeFilter: { shard: "0" } });
    return { instance, merged: 1 };
  });
  const state = await pagefind;
  for (; state.merged < Math.min(count, list.length); state.merged++)
    await state.instance.mergeIndex(`${labels.index}${list[state.merged].path}`, {
      baseUrl: labels.base,
      excerptLength: 24,
      mergeFilter: { shard: String(state.merged) },
    });
  return state.instance;
}

const yearFormat = new Intl.NumberFormat("ar", { numberingSystem: labels.digits, useGrouping: false });
const year = (value) => yearFormat.format(value);
const years = (list) => {
  const from = year(Math.min(...list.map((shard) => shard.from)));
  const to = year(Math.max(...list.map((shard) => shard.to)));
  return from === to ? from : `${from}–${to}`;
};

let shown;
async function showMore() {
  const items = await shown.next(pageSize);
  list.append(...items.map(resultItem));
  moreBlock.hidden = list.children.length >= shown.count;
}

async function search() {
  const text = query.value.trim();
  list.replaceChildren();
  moreBlock.hidden = true;
  olderBlock.hidden = true;
  if (text === "") {
    status.textContent = "";
    return;
  }
  status.textContent = labels.labelSearching;
  // Until the results are listed: screen readers wait, and so do the browser tests.
  list.setAttribute("aria-busy", "true");
  try {
    const all = await loadShards();
    const newest = sort.value === "newest";
    const filters = category.value ? { category: category.value } : {};
    const groups = [];
    if (all.length > 0) {
      const instance = await instanceFor(searched);
      const run = (options) => Promise.all(variants(text).map((variant) => instance.search(variant, options)));
      if (!newest) groups.push(await run({ filters }));
      else
        for (let shard = 0; shard < Math.min(searched, all.length); shard++)
          groups.push(await run({ filters: { ...filters, shard: String(shard) }, sort: { date: "desc" } }));
    }
    shown = mergedResults(groups, newest);
    const covered = all.slice(0, searched);
    const within = covered.length > 0 ? labels.labelWithin.replace("{years}", years(covered)) : "";
    status.textContent = `${shown.count === 0 ? labels.labelNone : countText(shown.count)} ${within}`.trim();
    const older = all.slice(searched, searched + step);
    if (older.length > 0) {
      olderButton.textContent = labels.labelOlder.replace("{years}", years(older));
      olderBlock.hidden = false;
    }
    await showMore();
  } catch {
    status.textContent = labels.labelFailed;
  } finally {
    list.removeAttribute("aria-busy");
  }
}

/** The form's state in the address, so a search can be shared, bookmarked and found again with Back. */
function remember() {
  const params = new URLSearchParams();
  for (const field of [query, category, sort]) if (field.value) params.set(field.name, field.value.trim());
  history.replaceState(null, "", params.size > 0 ? `?${params}` : location.pathname);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  remember();
  searched = step;
  search();
});
for (const select of [category, sort])
  select.addEventListener("change", () => {
    remember();
    searched = step;
    if (query.value.trim()) search();
  });
// The index starts loading as the reader starts typing, not when the page opens.
query.addEventListener("focus", () => instanceFor(step).catch(() => undefined), { once: true });
moreButton.addEventListener("click", showMore);
olderButton.addEventListener("click", () => {
  searched += step;
  search();
});

const params = new URLSearchParams(location.search);
query.value = params.get("q") ?? "";
category.value = params.get("category") ?? "";
sort.value = params.get("sort") === "newest" ? "newest" : "";
form.hidden = false;
document.querySelector(".search-fallback").hidden = true;
if (query.value) search();
