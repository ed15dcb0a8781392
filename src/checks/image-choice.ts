import type { SrcsetCandidate } from "../util/srcset.ts";

/** What a browser fetches for a responsive image: the `sizes` slot at a viewport width, then the `srcset` candidate. */

/**
 * Root font size the `rem`/`em` lengths of `sizes` are measured in: browsers' default, as `sizes` ignores the page's
 * CSS.
 */
const fontPx = 16;

/** A length of `sizes` in CSS px: `380px`, `42rem`, `100vw`, or `calc()` adding and subtracting those. */
function lengthPx(text: string, viewportPx: number): number {
  const inner = /^calc\((.*)\)$/.exec(text.trim())?.[1] ?? text;
  const terms = inner.trim().split(/\s+([+-])\s+/);
  let total = 0;
  let sign = 1;
  for (const term of terms) {
    if (term === "+" || term === "-") {
      sign = term === "+" ? 1 : -1;
      continue;
    }
    const match = /^(-?[\d.]+)(px|rem|em|vw)$/.exec(term);
    if (!match) throw new Error(`cannot measure "${term}" in sizes "${text}"`);
    const value = Number(match[1]);
    const px = match[2] === "vw" ? (value * viewportPx) / 100 : match[2] === "px" ? value : value * fontPx;
    total += sign * px;
  }
  return total;
}

/** Whether a `sizes` media condition such as `(min-width: 60rem)` (joined by `and`) holds at the viewport width. */
function conditionHolds(condition: string, viewportPx: number): boolean {
  return condition.split(/\s+and\s+/).every((feature) => {
    const match = /^\((min|max)-width:\s*([^)]+)\)$/.exec(feature.trim());
    if (!match) throw new Error(`cannot evaluate the media condition "${feature}" of sizes`);
    const limit = lengthPx(match[2]!, viewportPx);
    return match[1] === "min" ? viewportPx >= limit : viewportPx <= limit;
  });
}

/**
 * The slot width, in CSS px, that `sizes` gives an image at a viewport width: the first entry whose condition holds.
 */
export function slotWidth(sizes: string | undefined, viewportPx: number): number {
  if (!sizes) return viewportPx;
  for (const entry of sizes.split(/,(?![^(]*\))/).map((part) => part.trim())) {
    const match = /^(\(.*\))\s+(\S.*)$/.exec(entry);
    if (!match) return lengthPx(entry, viewportPx);
    if (conditionHolds(match[1]!, viewportPx)) return lengthPx(match[2]!, viewportPx);
  }
  return viewportPx;
}

/**
 * The candidate Chromium fetches (HTMLSrcsetParser's selection logic): candidates sorted by density
 * (width ÷ slot), the smallest that reaches the device pixel ratio, except that above a ratio of 1 a
 * smaller one wins when the ratio is below the geometric mean of the two densities.
 */
export function chooseCandidate(
  candidates: SrcsetCandidate[],
  slotPx: number,
  dpr: number,
): SrcsetCandidate | undefined {
  const sorted = candidates
    .map((candidate) => ({
      candidate,
      density: candidate.width !== undefined ? candidate.width / slotPx : (candidate.density ?? 1),
    }))
    .sort((a, b) => a.density - b.density);
  for (let index = 0; index < sorted.length - 1; index++) {
    const current = sorted[index]!.density;
    const next = sorted[index + 1]!.density;
    if (next < dpr) continue;
    const mean = Math.sqrt(current * next);
    return (dpr <= 1 && dpr > current) || dpr >= mean ? sorted[index + 1]!.candidate : sorted[index]!.candidate;
  }
  return sorted.at(-1)?.candidate;
}
