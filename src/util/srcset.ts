/** One candidate of a `srcset`: a URL and its descriptor. */
export interface SrcsetCandidate {
  url: string;
  /** Width descriptor (`480w`), or undefined for a density one. */
  width?: number;
  /** Density descriptor (`2x`, `1x` when there is none); a width descriptor's density depends on the slot. */
  density?: number;
}

/**
 * The candidates of a `srcset` value, split at every comma: the scans for active content and for
 * broken links must see a URL written after a comma with no space too. (No URL midad writes holds a comma.)
 */
export function parseSrcset(srcset: string): SrcsetCandidate[] {
  return srcset
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [url = "", descriptor = "1x"] = part.split(/\s+/);
      const value = Number.parseFloat(descriptor);
      return descriptor.endsWith("w") ? { url, width: value } : { url, density: value };
    });
}
