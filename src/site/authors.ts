import { readFileSync } from "node:fs";
import path from "node:path";
import slugify from "@sindresorhus/slugify";
import { balanced, describe } from "../articles/fields.ts";
import type { Checked, Problem } from "../articles/problems.ts";
import { parseYamlMapping } from "../articles/yaml.ts";

/** Who a byline names, as the newsroom describes them in `authors.yaml`. */
export interface AuthorProfile {
  /** A person, or a desk of the newsroom ("قسم التحليلات"): Person or Organization in structured data. */
  kind: "person" | "desk";
  /** "محرر الشؤون الأرمنية". */
  role?: string;
  /** A sentence or two about them. */
  bio?: string;
}

const fields = new Set(["kind", "role", "bio"]);
const example = 'for example:\n  "قسم التحليلات":\n    kind: desk\n    bio: "…"';

/** The readable Latin slug of a byline, as article slugs are made. */
export function authorSlug(name: string): string {
  return slugify(name.normalize("NFC"));
}

export function authorUrl(name: string, page = 1): string {
  const base = `/authors/${authorSlug(name)}/`;
  return page === 1 ? base : `${base}page/${page}/`;
}

/**
 * The newsroom's profiles of its bylines, from `authors.yaml` beside the articles folder: a mapping from each byline,
 * exactly as articles write it, to its `kind` (`person` or `desk`, default `person`), `role` and `bio`. The file is
 * optional; every problem in it is located like an article's and fails the build with the others.
 */
export function readAuthorProfiles(file: string, root: string): Checked<Map<string, AuthorProfile>> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { value: new Map(), problems: [] };
    return {
      problems: [
        {
          file: path.relative(root, file),
          message: `the file cannot be read: ${(error as Error).message}`,
          fix: "make it a readable file",
        },
      ],
    };
  }
  const name = path.relative(root, file);
  const { value: mapping, problems } = parseYamlMapping(name, text, { firstLine: 1, field: "authors" });
  if (!mapping) return { problems };
  const profiles = new Map<string, AuthorProfile>();
  const found: Problem[] = [];
  for (const [byline, value] of Object.entries(mapping.data)) {
    const report = (field: string, message: string, fix?: string) =>
      found.push({
        file: name,
        line: mapping.lineOf(field) ?? mapping.lineOf(byline) ?? 1,
        field: byline,
        message,
        ...(fix && { fix }),
      });
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      report(byline, `"${byline}" must have its kind, role or bio under it, got ${describe(value)}`, example);
      continue;
    }
    const entry = value as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (!fields.has(key)) report(`${byline}.${key}`, `unknown field "${key}"`, "use only kind, role and bio");
    }
    const kind = entry.kind ?? "person";
    if (kind !== "person" && kind !== "desk")
      report(`${byline}.kind`, `"kind" must be person or desk, got ${describe(kind)}`);
    const text = (key: "role" | "bio") => {
      const raw = entry[key];
      if (raw === undefined || raw === null) return undefined;
      if (typeof raw !== "string") {
        report(`${byline}.${key}`, `"${key}" must be text, got ${describe(raw)}`);
        return undefined;
      }
      const clean = raw.normalize("NFC").trim();
      return clean !== "" && balanced(key, clean, (_field, message, fix) => report(`${byline}.${key}`, message, fix))
        ? clean
        : undefined;
    };
    const role = text("role");
    const bio = text("bio");
    profiles.set(byline.normalize("NFC").trim(), {
      kind: kind === "desk" ? "desk" : "person",
      ...(role && { role }),
      ...(bio && { bio }),
    });
  }
  return found.length > 0 ? { problems: found } : { value: profiles, problems: [] };
}
