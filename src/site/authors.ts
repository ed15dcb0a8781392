import slugify from "@sindresorhus/slugify";
import { describe } from "../articles/fields.ts";
import type { Checked } from "../articles/problems.ts";
import { readDataFile } from "./data-file.ts";
import { pagedUrl } from "./urls.ts";

/** Who a byline names, as the newsroom describes them in `authors.yaml`. */
export interface AuthorProfile {
  /** A person, or a desk of the newsroom ("قسم التحليلات"): Person or Organization in structured data. */
  kind: "person" | "desk";
  /** "محرر الشؤون الأرمنية". */
  role?: string;
  /** A sentence or two about them. */
  bio?: string;
}

/** The readable Latin slug of a byline, as article slugs are made. */
export function authorSlug(name: string): string {
  return slugify(name.normalize("NFC"));
}

export function authorUrl(name: string, page?: number): string {
  return pagedUrl(`/authors/${authorSlug(name)}/`, page);
}

/**
 * The newsroom's profiles of its bylines, from `authors.yaml` beside the articles folder: a mapping from each byline,
 * exactly as articles write it, to its `kind` (`person` or `desk`, default `person`), `role` and `bio`.
 */
export function readAuthorProfiles(file: string, root: string): Checked<Map<string, AuthorProfile>> {
  return readDataFile<AuthorProfile>(file, root, {
    field: "authors",
    known: ["kind", "role", "bio"],
    example: 'for example:\n  "قسم التحليلات":\n    kind: desk\n    bio: "…"',
    read(_byline, entry) {
      const kind = entry.fields.kind ?? "person";
      if (kind !== "person" && kind !== "desk")
        entry.report("kind", `"kind" must be person or desk, got ${describe(kind)}`);
      const role = entry.text("role");
      const bio = entry.text("bio");
      return { kind: kind === "desk" ? "desk" : "person", ...(role && { role }), ...(bio && { bio }) };
    },
  });
}
