import type { Checked } from "./problems.ts";
import { parseYamlMapping, type YamlMapping } from "./yaml.ts";

export interface FrontMatter extends YamlMapping {
  /** The Markdown after the closing `---`. */
  body: string;
  /** 1-based file line on which `body` starts, to locate problems found in the Markdown. */
  bodyLine: number;
}

const opening = /^\uFEFF?---([^\r\n]*)\r?\n/;
const closing = /^(?:---|\.\.\.)[ \t]*$/m;

/**
 * Splits and parses an article's front matter. Only YAML is accepted: `---js` front matter would
 * run article code at build time, so it is a problem, never evaluated. Written here rather than with
 * gray-matter because gray-matter evaluates `---js` blocks and drops the positions we need for
 * line-numbered errors.
 */
export function parseFrontMatter(file: string, source: string): Checked<FrontMatter> {
  // The file's opening is at fault: every such problem is on its first line.
  const refused = (message: string, fix: string): Checked<FrontMatter> => ({
    problems: [{ file, line: 1, field: "front matter", message, fix }],
  });
  const start = opening.exec(source);
  if (!start) {
    return refused(
      "the file does not start with front matter",
      "begin the file with a line `---`, the YAML fields (title, date, categories), and another `---`",
    );
  }
  const language = start[1]!.trim();
  if (language !== "" && language !== "yaml") {
    return refused(
      `"---${language}" front matter is not allowed: article files are data, and no code in them runs at build time`,
      "write the front matter in YAML, opening with a plain `---` line",
    );
  }
  const rest = source.slice(start[0].length);
  const end = closing.exec(rest);
  if (!end) {
    return refused("the front matter is never closed", "end the YAML fields with a line `---`");
  }
  const yamlText = rest.slice(0, end.index);
  const afterClosing = rest.slice(end.index + end[0].length).replace(/^\r?\n/, "");
  const mapping = parseYamlMapping(file, yamlText, { firstLine: 2, field: "front matter" });
  if (!mapping.value) return { problems: mapping.problems };
  const bodyLine = source.slice(0, source.length - afterClosing.length).split("\n").length;
  return { value: { ...mapping.value, body: afterClosing, bodyLine }, problems: [] };
}
