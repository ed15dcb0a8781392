import { createHash } from "node:crypto";
import path from "node:path";

/** A file of the site's own (not an article's), such as the logo, as pages, feeds and structured data refer to it. */
export interface Asset {
  /** Site-relative URL; the name carries a hash of the content. */
  url: string;
  width: number;
  height: number;
  /** Media type, e.g. `image/png`. */
  type: string;
}

/**
 * `/assets/logo.png` becomes `/assets/logo-3f5a9c0e12.png`: a new logo gets a new URL, so the old one
 * can be cached for a year (`immutable` in `_headers`) without readers ever seeing a stale file.
 */
export function contentHashedUrl(folder: string, fileName: string, content: Buffer): string {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 10);
  const extension = path.extname(fileName);
  return `${folder}${path.basename(fileName, extension)}-${hash}${extension.toLowerCase()}`;
}

const imageTypes: Record<string, string> = {
  ".avif": "image/avif",
  ".gif": "image/gif",
  ".jpeg": "image/jpeg",
  ".jpg": "image/jpeg",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
};

/** The media type of an image URL from its extension; feeds and Open Graph state it. */
export function imageType(url: string): string {
  const type = imageTypes[path.extname(new URL(url, "https://x.invalid").pathname).toLowerCase()];
  if (type === undefined)
    throw new Error(`${url} is not an image URL midad knows (${Object.keys(imageTypes).join(", ")})`);
  return type;
}
