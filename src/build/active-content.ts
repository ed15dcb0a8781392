import type { Dirent } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Parser } from "htmlparser2";
import { parseSrcset } from "../util/srcset.ts";
import { filesUnder } from "../util/walk.ts";

/** Something in a built page that could run code in a reader's browser. */
export interface ActiveContent {
  /** The page, relative to the output folder, with `/` separators. */
  page: string;
  line: number;
  /** What was found, as markup: `<img onerror>`, `<a href="javascript:…">`. */
  found: string;
}

/** Elements that run script or embed another document or a plugin. */
const activeElements = new Set(["script", "iframe", "frame", "frameset", "object", "embed", "applet"]);
/** Attributes whose value is a URL the browser loads or follows; `srcset` and `imagesrcset` hold several. */
const urlAttributes = new Set([
  "href",
  "src",
  "srcset",
  "imagesrcset",
  "action",
  "formaction",
  "poster",
  "data",
  "background",
  "cite",
  "longdesc",
  "manifest",
  "ping",
  "xlink:href",
  "codebase",
  "archive",
  "icon",
]);

/**
 * A URL that runs code when followed or loaded. Browsers drop tabs and line breaks anywhere in a
 * URL and spaces or control characters before it, so `java&#9;script:` is caught too.
 */
export function isActiveUrl(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a browser skips these control characters before a URL's scheme, so the scan must too.
  const leadingControls = /^[\u0000-\u0020]+/;
  const url = value
    .replace(/[\t\n\r]/g, "")
    .replace(leadingControls, "")
    .toLowerCase();
  return /^(?:javascript|vbscript):/.test(url) || /^data:\s*(?:text\/html|application\/xhtml\+xml)/.test(url);
}

function urlsOf(name: string, value: string): string[] {
  return name.endsWith("srcset") ? parseSrcset(value).map((candidate) => candidate.url) : [value];
}

/**
 * The JSON-LD blocks the templates write are the one kind of `<script>` allowed, and only in that
 * form: in the `<head>` (an article's body is in `<body>`), with no attribute but the type, holding
 * one JSON object of schema.org data and no `<` at all (the templates write it as `\u003c`, so the
 * block can neither be ended early nor hide markup).
 */
function isTemplateJsonLd(text: string): boolean {
  if (text.includes("<")) return false;
  try {
    const data: unknown = JSON.parse(text);
    return (
      typeof data === "object" &&
      data !== null &&
      (data as Record<string, unknown>)["@context"] === "https://schema.org"
    );
  } catch {
    return false;
  }
}

/**
 * Every `on*` event attribute, active URL, embedded document and `<script>` but the templates' JSON-LD, in one page.
 * `allowedScript` is the URL of the one script the page may load (the search page's): as an empty
 * `<script type="module" src>` with no other attribute, nothing else.
 */
export function scanPage(page: string, html: string, allowedScript?: string): ActiveContent[] {
  const found: ActiveContent[] = [];
  let inHead = false;
  let jsonLd: { line: number; text: string } | undefined;
  let allowed: { line: number; text: string } | undefined;
  const lineAt = (index: number) => html.slice(0, index).split("\n").length;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const start = parser.startIndex;
        const report = (what: string) => found.push({ page, line: lineAt(start), found: what });
        if (name === "head") inHead = true;
        if (name === "body") inHead = false;
        const names = Object.keys(attributes);
        if (name === "script" && inHead && names.length === 1 && attributes.type === "application/ld+json")
          jsonLd = { line: lineAt(start), text: "" };
        else if (
          name === "script" &&
          allowedScript !== undefined &&
          names.length === 2 &&
          attributes.type === "module" &&
          attributes.src === allowedScript
        )
          allowed = { line: lineAt(start), text: "" };
        else if (activeElements.has(name)) report(`<${[name, ...names].join(" ")}>`);
        for (const attribute of names) {
          const value = attributes[attribute] ?? "";
          if (attribute.startsWith("on")) report(`<${name} ${attribute}="${value}">`);
          else if (urlAttributes.has(attribute) && urlsOf(attribute, value).some(isActiveUrl))
            report(`<${name} ${attribute}="${value}">`);
        }
        // A refresh can send the reader to a URL like a link does.
        const refresh =
          name === "meta" && attributes["http-equiv"]?.toLowerCase() === "refresh"
            ? /url\s*=\s*['"]?([^'"]*)/i.exec(attributes.content ?? "")
            : null;
        if (refresh && isActiveUrl(refresh[1]!)) report(`<meta http-equiv="refresh" content="${attributes.content}">`);
      },
      ontext(text) {
        if (jsonLd) jsonLd.text += text;
        if (allowed) allowed.text += text;
      },
      onclosetag(name) {
        if (name === "head") inHead = false;
        if (name === "script" && allowed) {
          if (allowed.text.trim() !== "")
            found.push({ page, line: allowed.line, found: `<script src="${allowedScript}"> with inline code` });
          allowed = undefined;
        }
        if (name !== "script" || !jsonLd) return;
        if (!isTemplateJsonLd(jsonLd.text))
          found.push({
            page,
            line: jsonLd.line,
            found: `<script type="application/ld+json"> that is not schema.org JSON: ${jsonLd.text.slice(0, 80)}`,
          });
        jsonLd = undefined;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return found;
}

/**
 * Scans every HTML file under `dir` but those already scanned (paths relative to `dir`, `/` separators), in a stable
 * order; `pages` counts them all.
 */
export async function scanSite(
  dir: string,
  exceptions: {
    /** Pages already scanned. */
    scanned?: ReadonlySet<string>;
    /** The one script a page may load, by page (see `scanPage`). */
    allowedScripts?: ReadonlyMap<string, string>;
    /** `listTree(dir)`, when the caller has it. */
    tree?: Dirent[];
  } = {},
): Promise<{ pages: number; found: ActiveContent[] }> {
  const pages = filesUnder(dir, (name) => /\.html?$/i.test(name), exceptions.tree);
  const found: ActiveContent[] = [];
  for (const page of pages.filter((name) => !exceptions.scanned?.has(name)))
    found.push(...scanPage(page, await readFile(path.join(dir, page), "utf8"), exceptions.allowedScripts?.get(page)));
  return { pages: pages.length, found };
}

export function formatActiveContent(item: ActiveContent): string {
  return `${item.page}:${item.line}: ${item.found}`;
}
