import type { SafeHtml } from "./html.ts";

/**
 * Characters XML 1.0 forbids even as references; one stray control character pasted into an article would make a
 * whole feed unreadable.
 */
const notXml = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/**
 * A whole XML document from markup made with the `html` tag (its escaping of `& < > " '` is
 * XML's too), with the declaration first and every character XML cannot carry removed.
 */
export function xmlDocument(root: SafeHtml): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${root.value.replace(notXml, "")}\n`;
}
