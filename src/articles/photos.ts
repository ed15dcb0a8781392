import { realpathSync, statSync } from "node:fs";
import path from "node:path";
import type { Checked, Problem } from "./problems.ts";

/** A photo an article uses, found on disk next to the article. */
export interface PhotoRef {
  /** The path as the article writes it, to look for the photo again in a later build. */
  src: string;
  /** Absolute path of the source file. */
  sourcePath: string;
  /** Path relative to the article's folder, with `/` separators: where it is published under the article URL. */
  relativePath: string;
}

/**
 * Resolves a photo reference from an article. Photos sit next to the article (or in a folder
 * below it): remote URLs, absolute paths and paths that climb out are refused, so an article can
 * never make the build read files elsewhere.
 */
export function resolvePhoto(
  articlePath: string,
  src: string,
  where: Omit<Problem, "message" | "fix">,
): Checked<PhotoRef> {
  const refused = (message: string, fix: string): Checked<PhotoRef> => ({ problems: [{ ...where, message, fix }] });
  const nextTo = "put the photo in the article's folder and write its name, e.g. ./photo.jpg";
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src))
    return refused(
      `"${src}" is a remote or special URL; photos must be files in the repository`,
      `download it and ${nextTo}`,
    );
  let decoded: string;
  try {
    decoded = decodeURIComponent(src);
  } catch {
    return refused(`"${src}" is not a valid path`, nextTo);
  }
  if (path.isAbsolute(decoded) || decoded.startsWith("\\")) return refused(`"${src}" is an absolute path`, nextTo);
  const folder = path.dirname(articlePath);
  const sourcePath = path.resolve(folder, decoded);
  const relativePath = path.relative(folder, sourcePath);
  if (relativePath === "" || relativePath.startsWith("..") || path.isAbsolute(relativePath)) {
    return refused(`"${src}" points outside the article's folder`, nextTo);
  }
  try {
    if (!statSync(sourcePath).isFile()) return refused(`"${src}" is not a file`, nextTo);
    if (path.relative(realpathSync(folder), realpathSync(sourcePath)).startsWith("..")) {
      return refused(
        `"${src}" is a link to a file outside the article's folder`,
        "copy the photo itself next to the article",
      );
    }
  } catch {
    return refused(
      `photo "${src}" does not exist (looked for ${path.relative(process.cwd(), sourcePath)})`,
      "check the file name, including upper and lower case, or add the photo next to the article",
    );
  }
  return { value: { src, sourcePath, relativePath: relativePath.split(path.sep).join("/") }, problems: [] };
}
