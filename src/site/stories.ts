import type { Checked } from "../articles/problems.ts";
import { slugPattern } from "./config.ts";
import { readDataFile } from "./data-file.ts";

/** What the newsroom says of a story in `stories.yaml`; without it, a story is named after its first article. */
export interface StoryProfile {
  title?: string;
  summary?: string;
}

/**
 * The newsroom's titles and summaries of its stories, from `stories.yaml` beside the articles folder: a mapping from
 * each story key, as articles write it in `story:`, to its `title` and `summary`.
 */
export function readStoryProfiles(file: string, root: string): Checked<Map<string, StoryProfile>> {
  return readDataFile<StoryProfile>(file, root, {
    field: "stories",
    known: ["title", "summary"],
    example: 'for example:\n  kazakhstan-unrest-2022:\n    title: "أحداث كازاخستان"\n    summary: "…"',
    read(key, entry) {
      if (!slugPattern.test(key)) {
        entry.report(
          "",
          `"${key}" is not a story key: lowercase Latin letters, digits and hyphens`,
          "write the key as articles write it in `story:`",
        );
        return undefined;
      }
      const title = entry.text("title");
      const summary = entry.text("summary");
      return { ...(title && { title }), ...(summary && { summary }) };
    },
  });
}
