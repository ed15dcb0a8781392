import { readFileSync } from "node:fs";
import path from "node:path";
import { filesUnder } from "../util/walk.ts";
import { contentKey } from "./content-cache.ts";

const midadRoot = path.resolve(import.meta.dirname, "../..");
/**
 * Everything of midad's own that can change what a page looks like: its code, templates, and the exact versions of
 * its dependencies.
 */
const codeFolders = ["src", "templates", "plugins"];
const codeFiles = [".eleventy.ts", "package-lock.json"];

/**
 * A hash of midad's code, read afresh at each call (a few milliseconds): every cached article
 * record and page carries it in its key, so any change to a template, the stylesheet's code or a
 * dependency renders every page again instead of reusing one the old code made.
 */
export function codeFingerprint(): string {
  const files = codeFolders.flatMap((folder) =>
    filesUnder(path.join(midadRoot, folder)).map((file) => `${folder}/${file}`),
  );
  const parts = [...files, ...codeFiles].sort().flatMap((file) => [file, readFileSync(path.join(midadRoot, file))]);
  return contentKey(...parts);
}
