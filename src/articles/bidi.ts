/**
 * Bidirectional formatting characters. An embedding, override or isolate left open (or a closer
 * with nothing to close) spills into the text around the field (a headline into the page, a tag into
 * the list of tags) and can make text read differently from what it is, so these are refused.
 * The ordinary marks U+200E and U+200F change nothing around them and are kept.
 */
const names: Record<string, string> = {
  "\u202A": "LEFT-TO-RIGHT EMBEDDING",
  "\u202B": "RIGHT-TO-LEFT EMBEDDING",
  "\u202C": "POP DIRECTIONAL FORMATTING",
  "\u202D": "LEFT-TO-RIGHT OVERRIDE",
  "\u202E": "RIGHT-TO-LEFT OVERRIDE",
  "\u2066": "LEFT-TO-RIGHT ISOLATE",
  "\u2067": "RIGHT-TO-LEFT ISOLATE",
  "\u2068": "FIRST STRONG ISOLATE",
  "\u2069": "POP DIRECTIONAL ISOLATE",
};
const isolates = new Set(["\u2066", "\u2067", "\u2068"]);
const controls = /[\u202A-\u202E\u2066-\u2069]/;

/** `U+202E RIGHT-TO-LEFT OVERRIDE`: how messages name a control character, which is invisible. */
export function codepointName(char: string): string {
  const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
  return names[char] ? `${code} ${names[char]}` : code;
}

/** The text with every invisible format or control character written as `<U+202E>`, for messages. */
export function visible(text: string): string {
  return text.replace(/[\p{Cf}\p{Cc}]/gu, (char) => `<${codepointName(char).split(" ")[0]}>`);
}

/** True when the text holds any bidi control: identifiers (slugs, keys) may hold none, balanced or not. */
export function hasBidiControl(text: string): boolean {
  return controls.test(text);
}

/**
 * The first unbalanced bidi control, as the Unicode Bidirectional Algorithm pairs them: U+202C closes
 * the innermost embedding or override, U+2069 the innermost isolate (and anything opened inside it).
 * Undefined when every one is closed within the text.
 */
export function unbalancedBidi(text: string): string | undefined {
  const open: { char: string; at: number }[] = [];
  const chars = [...text];
  for (const [index, char] of chars.entries()) {
    const at = index + 1;
    if (char === "\u202C") {
      const top = open[open.length - 1];
      if (!top || isolates.has(top.char)) return `${codepointName(char)} at character ${at} closes nothing`;
      open.pop();
    } else if (char === "\u2069") {
      let isolate = open.length - 1;
      while (isolate >= 0 && !isolates.has(open[isolate]!.char)) isolate--;
      if (isolate < 0) return `${codepointName(char)} at character ${at} closes nothing`;
      open.length = isolate;
    } else if (names[char]) {
      open.push({ char, at });
    }
  }
  const first = open[0];
  return first && `${codepointName(first.char)} at character ${first.at} is never closed`;
}
