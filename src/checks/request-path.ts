/** Whether a request's path may be mapped to a file, and if not, the status to answer and why. */
export type PathVerdict = { ok: true; segments: string[] } | { ok: false; status: 400 | 414; reason: string };

/** Longer paths are no page of the site: a browser never sends one (Node refuses headers over 16 KiB anyway). */
export const maxPathLength = 4096;

const refuse = (status: 400 | 414, reason: string): PathVerdict => ({ ok: false, status, reason });

/**
 * Checks a request target as the client sent it (`request.url`, not normalised by a URL parser) before any
 * server layer maps it to a file, so that no layer below can be led out of the served folder or made to throw.
 * Refused (400): a target that is not a path, a backslash, a segment that is not valid percent-encoded UTF-8
 * (`%ff`, the overlong `%c0%ae`), a `..` segment however encoded (`%2e%2e`), an encoded slash, backslash or NUL
 * (`%2f`, `%5c`, `%00`) and a segment encoded twice (`%252e`: a layer that decodes again would see `..`).
 * Browsers resolve dot segments and encode paths once, so no page a reader can open is refused.
 * Returns the decoded segments of an accepted path.
 */
export function checkRequestPath(target: string): PathVerdict {
  if (target.length > maxPathLength) return refuse(414, `is longer than ${maxPathLength} characters`);
  if (!target.startsWith("/")) return refuse(400, "is not a path starting with /");
  const pathname = target.replace(/[?#][\s\S]*$/, "");
  if (pathname.includes("\\")) return refuse(400, "holds a backslash");
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return refuse(400, "is not valid percent-encoded UTF-8");
    }
    if (segment === "..") return refuse(400, "climbs out of the served folder (..)");
    if (/[/\\]/.test(segment)) return refuse(400, "holds an encoded slash or backslash");
    if (segment.includes("\0")) return refuse(400, "holds a NUL character");
    if (/%[0-9a-f]{2}/i.test(segment)) return refuse(400, "is percent-encoded twice");
    segments.push(segment);
  }
  return { ok: true, segments };
}
