import { createHash } from "node:crypto";

/** One block of a `_headers` file (Netlify and Cloudflare Pages): a URL pattern and the headers its responses get. */
export interface HeaderRule {
  /** A path; `*` matches anything, `:name` one path segment. */
  pattern: string;
  headers: [name: string, value: string][];
  /**
   * Headers of broader rules this one takes off before adding its own (Cloudflare Pages' `! Name` lines; Netlify
   * ignores them, and gives a path the more specific rule's value anyway).
   */
  detach?: string[];
}

/** What linked sources learn of where a reader came from: the site, not the article. */
export const referrerPolicy = "strict-origin-when-cross-origin";

/** The base64 SHA-256 of an inline `<style>` element's text, as CSP names it. */
export function styleHash(css: string): string {
  return createHash("sha256").update(css, "utf8").digest("base64");
}

/**
 * A policy the pages satisfy and nothing else does: no scripts run at all (JSON-LD blocks are data,
 * never executed, so CSP does not touch them); the one `<style>` element is allowed by its hash; the
 * `style` attributes of images (placeholder colours, different for every photo, so no hash can list
 * them) are allowed by `style-src-attr`, which cannot load anything or run script; images come only
 * from the site itself. Browsers without `style-src-elem`/`-attr` fall back to `style-src`: the
 * stylesheet still applies, only the placeholder colours are dropped. With `search`, the search
 * page's policy: the same, plus its script, Pagefind's WebAssembly and its form. With `inPage`, the
 * policy a `<meta>` element can carry, for hosts that send no headers of ours: browsers ignore
 * `frame-ancestors` there, and warn about it.
 */
export function contentSecurityPolicy(styleHashes: string[], { search = false, inPage = false } = {}): string {
  const styles = styleHashes.map((hash) => `'sha256-${hash}'`).join(" ");
  return [
    "default-src 'none'",
    // The search page's: the site's own scripts, the WebAssembly they compile (`'wasm-unsafe-eval'` allows compiling
    // it, not `eval`), and their requests for the index.
    ...(search ? ["script-src 'self' 'wasm-unsafe-eval'", "connect-src 'self'"] : []),
    `style-src ${styles}`,
    `style-src-elem ${styles}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self'",
    "base-uri 'none'",
    // The search form submits to its own page.
    `form-action ${search ? "'self'" : "'none'"}`,
    ...(inPage ? [] : ["frame-ancestors 'none'"]),
  ].join("; ");
}

export interface HeadersPlan {
  /** The site's path prefix, `/` or like `/news/`. */
  pathPrefix: string;
  /** Hashes of the inline stylesheets (see `styleHash`). */
  styleHashes: string[];
  /** Site folders of content-hashed files, like `/img/`: cached for a year, never revalidated. */
  immutable: string[];
  /**
   * Site-relative URLs of everything else the build writes (pages, feeds, sitemaps): cached briefly, then
   * revalidated.
   */
  urls: string[];
  /** Media types of files whose extension alone does not say enough (feeds, sitemaps). */
  types: Record<string, string>;
  /** Seconds a page, feed or sitemap may be reused before it is revalidated. */
  maxAge: number;
  /** Site folders, like `/search/`, whose responses get the search page's policy instead of the strict one. */
  scripted: string[];
}

/**
 * Rules that never set one header twice for the same path: hosts join the values of overlapping
 * rules with commas, and `max-age=60, must-revalidate, max-age=31536000, immutable` means nothing
 * useful. So short caching is set on each top-level folder that holds pages (`/2022/*`, `/politics/*`)
 * and on each top-level file, never on `/*`, and a page folder that is also an immutable one is an error.
 * The one exception is the search page's policy, which replaces the strict one: it takes that one
 * off first (`! Content-Security-Policy`), for a second policy could only tighten the first.
 */
export function headerRules(plan: HeadersPlan): HeaderRule[] {
  const prefixed = (url: string) => plan.pathPrefix + url.replace(/^\//, "");
  const immutableFolders = new Set(plan.immutable.map((folder) => folder.split("/")[1]));
  const revalidated = new Set<string>();
  for (const url of plan.urls) {
    const [, first, ...rest] = url.split("/");
    if (rest.length === 0) {
      revalidated.add(url);
    } else if (immutableFolders.has(first)) {
      throw new Error(
        `${url} is a page, but /${first}/ holds content-hashed files cached for a year; give the category or page another slug`,
      );
    } else {
      revalidated.add(`/${first}/*`);
    }
  }
  const rules: HeaderRule[] = [
    {
      pattern: prefixed("/*"),
      headers: [
        ["Content-Security-Policy", contentSecurityPolicy(plan.styleHashes)],
        ["X-Content-Type-Options", "nosniff"],
        ["Referrer-Policy", referrerPolicy],
      ],
    },
    ...plan.immutable.map(
      (folder): HeaderRule => ({
        pattern: prefixed(`${folder}*`),
        headers: [["Cache-Control", "public, max-age=31536000, immutable"]],
      }),
    ),
    ...plan.scripted.map(
      (folder): HeaderRule => ({
        pattern: prefixed(`${folder}*`),
        detach: ["Content-Security-Policy"],
        headers: [["Content-Security-Policy", contentSecurityPolicy(plan.styleHashes, { search: true })]],
      }),
    ),
    ...[...revalidated].sort().map(
      (pattern): HeaderRule => ({
        pattern: prefixed(pattern),
        headers: [["Cache-Control", `public, max-age=${plan.maxAge}, must-revalidate`]],
      }),
    ),
    // In URL order, as the archive's order of tags and bylines moves with every article.
    ...Object.entries(plan.types)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([url, type]): HeaderRule => ({ pattern: prefixed(url), headers: [["Content-Type", type]] })),
  ];
  // One block per pattern: `/feed.xml` gets its caching and its media type together.
  const byPattern = new Map<string, HeaderRule>();
  for (const rule of rules) {
    const existing = byPattern.get(rule.pattern);
    if (existing) {
      existing.headers.push(...rule.headers);
      if (rule.detach) existing.detach = [...(existing.detach ?? []), ...rule.detach];
    } else byPattern.set(rule.pattern, { ...rule, headers: [...rule.headers] });
  }
  return [...byPattern.values()];
}

export function formatHeaders(rules: HeaderRule[]): string {
  const blocks = rules.map((rule) =>
    [
      rule.pattern,
      ...(rule.detach ?? []).map((name) => `  ! ${name}`),
      ...rule.headers.map(([name, value]) => `  ${name}: ${value}`),
    ].join("\n"),
  );
  return `# Written by the build (plugins/headers.ts); edits here are lost at the next build.\n${blocks.join("\n")}\n`;
}

/** Reads a `_headers` file as Netlify and Cloudflare Pages do, for serving a build locally. */
export function parseHeaders(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      rules.push({ pattern: line.trim(), headers: [] });
      continue;
    }
    const rule = rules.at(-1);
    const detached = /^\s+!\s*(\S+)\s*$/.exec(line);
    if (detached && rule) {
      rule.detach = [...(rule.detach ?? []), detached[1]!];
      continue;
    }
    const header = /^\s+([^:\s]+):\s*(.*)$/.exec(line);
    if (!header || !rule)
      throw new Error(`_headers line ${index + 1}: "${line.trim()}" is not "Name: value" under a path line`);
    rule.headers.push([header[1]!, header[2]!.trim()]);
  }
  return rules;
}

/**
 * The headers for one request path: every matching rule's, values of a repeated name joined with ", ", and a rule's
 * detached names dropped from the rules before it (as Cloudflare Pages does).
 */
export function headersFor(rules: HeaderRule[], pathname: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const rule of rules) {
    const pattern = rule.pattern
      .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/:[A-Za-z]\w*/g, "[^/]+");
    if (!new RegExp(`^${pattern}$`).test(pathname)) continue;
    for (const name of rule.detach ?? []) found.delete(name.toLowerCase());
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      const before = found.get(key);
      found.set(key, before === undefined ? value : `${before}, ${value}`);
    }
  }
  return found;
}
