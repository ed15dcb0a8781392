import { readFileSync } from "node:fs";
import path from "node:path";
import { balanced, describe } from "../articles/fields.ts";
import type { Checked, Problem } from "../articles/problems.ts";
import { parseYamlMapping } from "../articles/yaml.ts";

/** How one entry of a newsroom data file is read: its text fields, and a problem located at a field of it. */
export interface EntryReader {
  /** A text field, NFC-normalised and trimmed, without unbalanced bidi controls; undefined when absent or bad. */
  text(key: string): string | undefined;
  /** A problem at `key` of this entry (its line, or the entry's). */
  report(key: string, message: string, fix?: string): void;
  /** The entry's own fields. */
  fields: Record<string, unknown>;
}

export interface DataFileRules<T> {
  /** What problems with the file as a whole are filed under, and the name of its entries: `authors`. */
  field: string;
  /** The fields an entry may have. */
  known: readonly string[];
  /** How to write an entry, for the fix of one that is not a mapping. */
  example: string;
  /** Reads one entry, by its key, or reports why not. */
  read(key: string, entry: EntryReader): T | undefined;
}

/**
 * A YAML file the newsroom keeps beside `articles/` (`authors.yaml`, `stories.yaml`): a mapping from a key (a
 * byline, a story key) to a mapping of fields. Optional: a missing file is an empty map. It is read as front matter
 * is (no aliases, anchors or tags), and every problem in it is located at its line and fails the build with the
 * articles' problems.
 */
export function readDataFile<T>(file: string, root: string, rules: DataFileRules<T>): Checked<Map<string, T>> {
  const name = path.relative(root, file);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { value: new Map(), problems: [] };
    return {
      problems: [
        { file: name, message: `the file cannot be read: ${(error as Error).message}`, fix: "make it a readable file" },
      ],
    };
  }
  const { value: mapping, problems } = parseYamlMapping(name, text, { firstLine: 1, field: rules.field });
  if (!mapping) return { problems };
  const entries = new Map<string, T>();
  const found: Problem[] = [];
  for (const [key, value] of Object.entries(mapping.data)) {
    const report = (field: string, message: string, fix?: string) =>
      found.push({
        file: name,
        line: mapping.lineOf(`${key}.${field}`) ?? mapping.lineOf(key) ?? 1,
        field: key,
        message,
        ...(fix && { fix }),
      });
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      report("", `"${key}" must have its fields under it, got ${describe(value)}`, rules.example);
      continue;
    }
    const fields = value as Record<string, unknown>;
    for (const field of Object.keys(fields)) {
      if (!rules.known.includes(field)) report(field, `unknown field "${field}"`, `use only ${rules.known.join(", ")}`);
    }
    const text = (field: string) => {
      const raw = fields[field];
      if (raw === undefined || raw === null) return undefined;
      if (typeof raw !== "string") {
        report(field, `"${field}" must be text, got ${describe(raw)}`);
        return undefined;
      }
      const clean = raw.normalize("NFC").trim();
      return clean !== "" && balanced(field, clean, (_field, message, fix) => report(field, message, fix))
        ? clean
        : undefined;
    };
    const entry = rules.read(key, { text, report, fields });
    if (entry !== undefined) entries.set(key.normalize("NFC").trim(), entry);
  }
  return found.length > 0 ? { problems: found } : { value: entries, problems: [] };
}
