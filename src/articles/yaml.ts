import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from "yaml";
import type { Checked, Problem } from "./problems.ts";

/** A YAML mapping the newsroom wrote (an article's front matter, the authors file), with the line of each field. */
export interface YamlMapping {
  /** The mapping, with every scalar as YAML 1.2 core types: dates stay strings. */
  data: Record<string, unknown>;
  /**
   * 1-based file line of a dotted field's key (`image.alt`, `corrections[2].date`), or of its nearest parent that
   * exists.
   */
  lineOf(field: string): number | undefined;
}

export interface YamlPlace {
  /** The file line the YAML starts on. */
  firstLine: number;
  /** What problems of the YAML as a whole are filed under: `front matter`. */
  field: string;
}

/**
 * Parses YAML as plain data: YAML 1.2 core types, unique keys, and none of what would make a few lines stand for
 * something else (aliases, anchors, tags). Every problem is located at its file line.
 */
export function parseYamlMapping(
  file: string,
  yamlText: string,
  { firstLine, field }: YamlPlace,
): Checked<YamlMapping> {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, schema: "core", uniqueKeys: true, merge: false });
  const lineAt = (offset: number) => lines.linePos(offset).line + firstLine - 1;

  // yaml's messages count lines from the start of the YAML and repeat the snippet: keep the reason, once per line.
  const problems: Problem[] = [];
  for (const error of doc.errors) {
    const line = lineAt(error.pos[0]);
    // Duplicate keys are reported by refusedYaml, with the key's name and both lines.
    if (error.code === "DUPLICATE_KEY" || problems.some((problem) => problem.line === line)) continue;
    const reason = error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    problems.push(
      error.code === "TAB_AS_INDENT"
        ? {
            file,
            line,
            field,
            message: "a tab indents this line, and YAML indents with spaces only",
            fix: "replace the tab at the start of the line with spaces",
          }
        : {
            file,
            line,
            field,
            message: `the YAML cannot be read: ${reason}`,
            fix: 'check indentation and quote values that contain a colon ("…: …")',
          },
    );
  }
  problems.push(...refusedYaml(doc, lineAt, field).map((problem) => ({ file, ...problem })));
  if (problems.length > 0) return { problems: problems.sort((a, b) => a.line! - b.line!) };

  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== "object" || Array.isArray(data) || data === null) {
    return {
      problems: [
        {
          file,
          line: firstLine,
          field,
          message: `the ${field} must be a list of \`field: value\` lines`,
          fix: "write one `field: value` per line",
        },
      ],
    };
  }
  const value: YamlMapping = {
    data: data as Record<string, unknown>,
    lineOf(field) {
      let line: number | undefined;
      let node: unknown = doc.contents;
      // `corrections[2].date`: the key, then the second item of its list, then that item's key.
      for (const step of field.split(".")) {
        const [, key = step, position] = /^(.*?)(?:\[(\d+)\])?$/.exec(step) ?? [];
        const pair = isMap(node) ? node.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
        if (!pair || !isScalar(pair.key) || !pair.key.range) break;
        line = lineAt(pair.key.range[0]);
        node = pair.value;
        if (position === undefined) continue;
        const item = isSeq(node) ? node.items[Number(position) - 1] : undefined;
        if (!isNode(item) || !item.range) break;
        line = lineAt(item.range[0]);
        node = item;
      }
      return line;
    },
  };
  return { value, problems: [] };
}

/**
 * YAML that parses but that article fields refuse: aliases and anchors (`&x` … `*x`, which editors
 * sometimes produce and which can expand a few lines into millions of values), explicit tags
 * (`!!js/function`, `!foo`: no value is converted or run at build time) and a key given twice.
 * Each is located at its line and named by the field that holds it.
 */
function refusedYaml(doc: Document, lineAt: (offset: number) => number, field: string): Omit<Problem, "file">[] {
  const found: Omit<Problem, "file">[] = [];
  const add = (node: Node, problem: Omit<Problem, "file" | "line">) => {
    const line = lineAt(node.range?.[0] ?? 0);
    if (!found.some((other) => other.line === line && other.message === problem.message))
      found.push({ line, ...problem });
  };
  visit(doc, {
    Node(_, node, ancestors) {
      const where = fieldOf(ancestors) ?? field;
      if (isAlias(node)) {
        add(node, {
          field: where,
          message: `"*${node.source}" repeats the value marked "&${node.source}" (a YAML alias); article fields accept only values written out`,
          fix: `write the value itself in place of "*${node.source}"`,
        });
        return;
      }
      if (node.anchor) {
        add(node, {
          field: where,
          message: `"&${node.anchor}" marks a value for reuse (a YAML anchor), which article fields do not accept`,
          fix: `remove "&${node.anchor}"`,
        });
      }
      if (node.tag) {
        const tag = node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
        add(node, {
          field: where,
          message: `"${tag}" is a YAML tag, which article fields do not accept: no value is converted or run at build time`,
          fix: `remove "${tag}" and write the value as plain text`,
        });
      }
      if (isMap(node)) {
        const seen = new Map<unknown, number>();
        for (const pair of node.items) {
          if (!isScalar(pair.key)) continue;
          const line = lineAt(pair.key.range?.[0] ?? 0);
          const first = seen.get(pair.key.value);
          if (first === undefined) seen.set(pair.key.value, line);
          else
            add(pair.key, {
              field: [fieldOf(ancestors), String(pair.key.value)].filter(Boolean).join("."),
              message: `"${String(pair.key.value)}" is given twice, on lines ${first} and ${line}`,
              fix: "keep one of the two lines",
            });
        }
      }
    },
  });
  return found;
}

/** The dotted field (`image.alt`) of a node, from the keys of the pairs above it. */
function fieldOf(ancestors: readonly unknown[]): string | undefined {
  const keys = ancestors.filter(isPair).map((pair) => (isScalar(pair.key) ? String(pair.key.value) : "?"));
  return keys.length > 0 ? keys.join(".") : undefined;
}
