import { readFile } from "node:fs/promises";
import path from "node:path";
import { Parser } from "htmlparser2";
import pMap from "p-map";
import { filesAtOnce } from "../util/limits.ts";
import { parseSrcset } from "../util/srcset.ts";
import { filesUnder } from "../util/walk.ts";

/** A link in a built page that does not lead to a file of the build. */
export interface LinkProblem {
  /** The page, relative to the output folder. */
  page: string;
  /** Where the link is, like `<img srcset>`. */
  attribute: string;
  url: string;
  reason: string;
}

export interface LinkCheckOptions {
  /** The built site, such as `_site`. */
  dir: string;
  /** The site's path prefix: internal links must stay under it. */
  pathPrefix: string;
  /** The site's origin (`config.url`): absolute links to it (canonical links) are internal too. */
  origin: string;
}

export interface LinkCheckResult {
  pages: number;
  links: number;
  problems: LinkProblem[];
}

/** Attributes that hold a URL the browser follows or loads; `srcset` holds several. */
const urlAttributes = new Set(["href", "src", "srcset", "poster"]);
/** Stands in for the origin while resolving; replaced by the real origin for absolute links to the site. */
const base = "http://site.invalid";

interface Reference {
  page: string;
  attribute: string;
  url: string;
}

/** Every reference and every fragment target (`id`, `<a name>`) of one page. */
function scanPage(page: string, html: string): { references: Reference[]; anchors: Set<string> } {
  const references: Reference[] = [];
  const anchors = new Set<string>();
  const parser = new Parser(
    {
      onopentag(tag, attributes) {
        for (const [name, value] of Object.entries(attributes)) {
          if (name === "id" || (tag === "a" && name === "name")) anchors.add(value);
          if (!urlAttributes.has(name)) continue;
          const urls = name === "srcset" ? parseSrcset(value).map((candidate) => candidate.url) : [value.trim()];
          for (const url of urls) references.push({ page, attribute: `<${tag} ${name}>`, url });
        }
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return { references, anchors };
}

/** The URL path a host serves a file at: `a/index.html` → `/a/`, under the prefix. */
function servedPath(file: string, pathPrefix: string): string {
  const url = file.split(path.sep).join("/");
  return pathPrefix + (url === "index.html" ? "" : url.replace(/(^|\/)index\.html$/, "$1"));
}

/**
 * Follows every `href`, `src`, `srcset` and `poster` of every HTML page in the build, as a static
 * host would serve it under the path prefix, and reports each one that does not reach a file: a
 * missing file, a folder without its trailing slash, a path outside the prefix, or a `#fragment`
 * that names no element of its page. Other sites' links, `mailto:` and the like are not followed.
 */
export async function checkLinks(options: LinkCheckOptions): Promise<LinkCheckResult> {
  const files = new Set(filesUnder(options.dir));
  const pages = [...files].filter((file) => file.endsWith(".html")).sort();
  const scanned = new Map(
    await pMap(
      pages,
      async (page) => [page, scanPage(page, await readFile(path.join(options.dir, page), "utf8"))] as const,
      { concurrency: filesAtOnce },
    ),
  );

  const problems: LinkProblem[] = [];
  let links = 0;
  for (const [page, { references }] of scanned) {
    const pageUrl = new URL(servedPath(page, options.pathPrefix), base);
    for (const reference of references) {
      const reason = problemWith(reference.url, pageUrl, options, files, scanned);
      if (reason === "external") continue;
      links++;
      if (reason) problems.push({ ...reference, reason });
    }
  }
  return { pages: pages.length, links, problems };
}

/**
 * Why `url` on the page at `pageUrl` leads nowhere; undefined when it resolves, `external` when it is not the site's.
 */
function problemWith(
  url: string,
  pageUrl: URL,
  options: LinkCheckOptions,
  files: Set<string>,
  scanned: Map<string, { anchors: Set<string> }>,
): string | undefined {
  if (url === "") return "the URL is empty";
  const origin = new URL(options.origin);
  let target: URL;
  try {
    target = new URL(url, pageUrl);
  } catch {
    return "it is not a valid URL";
  }
  if (target.protocol === origin.protocol && target.host === origin.host)
    target = new URL(target.pathname + target.search + target.hash, base);
  if (target.origin !== base) return "external";
  if (!target.pathname.startsWith(options.pathPrefix)) return `it points outside the path prefix ${options.pathPrefix}`;
  let file: string;
  try {
    file = decodeURIComponent(target.pathname.slice(options.pathPrefix.length));
  } catch {
    return "its path is not valid percent-encoding";
  }
  if (file === "" || file.endsWith("/")) file += "index.html";
  if (!files.has(file)) {
    return files.has(`${file}/index.html`)
      ? `it names the folder ${target.pathname} without its trailing slash`
      : `no file ${file} in the build`;
  }
  const fragment = target.hash.slice(1);
  if (fragment === "") return undefined;
  const anchors = scanned.get(file)?.anchors;
  return anchors?.has(fragment) || anchors?.has(safeDecode(fragment))
    ? undefined
    : `${file} has no element with id "${fragment}"`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** One line per problem: page, attribute, URL, reason; then what to do. */
export function formatLinkProblems(problems: LinkProblem[], dir: string): string {
  const lines = problems.map(
    (problem) => `${path.join(dir, problem.page)}: ${problem.attribute} "${problem.url}": ${problem.reason}`,
  );
  return `${problems.length} broken internal link(s):\n${lines.join("\n")}\nFix the link where it is made (the article or the template), or publish the file it points to, then build again.`;
}
