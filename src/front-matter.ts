import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import type { Problem } from "./problems.ts";

export interface FrontMatter {
  /** The YAML mapping, with every scalar as YAML 1.2 core types: dates stay strings. */
  data: Record<string, unknown>;
  /** The Markdown after the closing `---`. */
  body: string;
  /** 1-based file line on which `body` starts, to locate problems found in the Markdown. */
  bodyLine: number;
  /** 1-based file line of a dotted field's key (`image.alt`), or of its nearest parent that exists. */
  lineOf(field: string): number | undefined;
}

const opening = /^\uFEFF?---([^\r\n]*)\r?\n/;
const closing = /^(?:---|\.\.\.)[ \t]*$/m;

/**
 * Splits and parses an article's front matter. Only YAML is accepted: `---js` front matter would
 * run article code at build time, so it is a problem, never evaluated. Written here rather than with
 * gray-matter because gray-matter evaluates `---js` blocks and drops the positions we need for
 * line-numbered errors.
 */
export function parseFrontMatter(file: string, source: string): FrontMatter | { problems: Problem[] } {
  const start = opening.exec(source);
  if (!start) {
    return { problems: [{ file, line: 1, field: "front matter", message: "the file does not start with front matter", fix: "begin the file with a line `---`, the YAML fields (title, date, categories), and another `---`" }] };
  }
  const language = start[1]!.trim();
  if (language !== "" && language !== "yaml") {
    return {
      problems: [{
        file, line: 1, field: "front matter",
        message: `"---${language}" front matter is not allowed: article files are data, and no code in them runs at build time`,
        fix: "write the front matter in YAML, opening with a plain `---` line",
      }],
    };
  }
  const rest = source.slice(start[0].length);
  const end = closing.exec(rest);
  if (!end) {
    return { problems: [{ file, line: 1, field: "front matter", message: "the front matter is never closed", fix: "end the YAML fields with a line `---`" }] };
  }
  const yamlText = rest.slice(0, end.index);
  const afterClosing = rest.slice(end.index + end[0].length).replace(/^\r?\n/, "");
  const yamlStartLine = 2;
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, schema: "core", uniqueKeys: true, merge: false });
  const lineAt = (offset: number) => lines.linePos(offset).line + yamlStartLine - 1;

  // yaml's messages count lines from the start of the YAML and repeat the snippet: keep the reason, once per line.
  const problems: Problem[] = [];
  for (const error of doc.errors) {
    const line = lineAt(error.pos[0]);
    if (problems.some((problem) => problem.line === line)) continue;
    const reason = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    problems.push({
      file, line, field: "front matter", message: `the YAML cannot be read: ${reason}`,
      fix: "check indentation and quote values that contain a colon (\"…: …\")",
    });
  }
  if (problems.length > 0) return { problems };

  const data: unknown = doc.toJS({ maxAliasCount: 0 }) ?? {};
  if (typeof data !== "object" || Array.isArray(data) || data === null) {
    return { problems: [{ file, line: yamlStartLine, field: "front matter", message: "the front matter must be a list of `field: value` lines", fix: "write one `field: value` per line" }] };
  }
  const bodyLine = source.slice(0, source.length - afterClosing.length).split("\n").length;
  return {
    data: data as Record<string, unknown>,
    body: afterClosing,
    bodyLine,
    lineOf(field) {
      let line: number | undefined;
      let node: unknown = doc.contents;
      for (const key of field.split(".")) {
        const pair = isMap(node) ? node.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
        if (!pair || !isScalar(pair.key) || !pair.key.range) break;
        line = lineAt(pair.key.range[0]);
        node = pair.value;
      }
      return line;
    },
  };
}
