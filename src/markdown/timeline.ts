import type MarkdownIt from "markdown-it";
import type { PluginWithParams } from "markdown-it";
import type StateCore from "markdown-it/lib/rules_core/state_core.mjs";
import type Token from "markdown-it/lib/token.mjs";
import container from "markdown-it-container";
import type { DateStyle } from "../site/config.ts";
import { type ArticleDate, acceptedDateForms, formatArabicDate, parseArticleDate } from "../site/dates.ts";
import { lineOfToken, type MarkdownEnv } from "./env.ts";

export interface TimelineOptions {
  /** Zone for event times written without an offset: the newsroom's. */
  timeZone: string;
  /** How event dates are written for readers. */
  dateStyle: DateStyle;
  /** Heading of a timeline written as a bare `::: timeline`. */
  defaultTitle: string;
}

const eventStart = /^(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?)[ \t]*:[ \t]*/;
const itemSyntax = "`- 2022-01-02: what happened` (a time may follow the date: 2022-01-05T20:00)";

/**
 * `::: timeline Title` … `:::` holding a list of `- ISO date: Markdown text` events, rendered as a
 * `<section>` with a heading and an ordered list whose events start with `<time datetime>`.
 * markdown-it-container finds the block; a core rule then turns its list into events, before inline
 * parsing, so the event text is ordinary Markdown.
 */
export function timelinePlugin(md: MarkdownIt, options: TimelineOptions): void {
  // markdown-it-container's bundled types describe the CommonJS build of markdown-it.
  md.use(container as unknown as PluginWithParams, "timeline", {
    validate: (params: string) => /^timeline(?:\s|$)/.test(params.trim()),
    render(tokens: Token[], index: number, _options: unknown, env: MarkdownEnv) {
      const token = tokens[index]!;
      if (token.nesting !== 1) return "</section>\n";
      const title =
        token.info
          .trim()
          .replace(/^timeline/, "")
          .trim() || options.defaultTitle;
      const id = `timeline-${++env.timelines}`;
      return `<section class="timeline" aria-labelledby="${id}">\n<h2 id="${id}">${md.utils.escapeHtml(title)}</h2>\n`;
    },
  });

  md.core.ruler.after("block", "timeline", (state: StateCore) => {
    const tokens = state.tokens;
    for (let open = 0; open < tokens.length; open++) {
      if (tokens[open]!.type !== "container_timeline_open") continue;
      const level = tokens[open]!.level;
      let close = open + 1;
      while (!(tokens[close]!.type === "container_timeline_close" && tokens[close]!.level === level)) close++;
      markEvents(state, open, close, level + 1, options);
    }
  });

  md.renderer.rules.timeline_date = (tokens, index) => {
    const date = tokens[index]!.meta as ArticleDate;
    return `<time datetime="${md.utils.escapeHtml(date.iso)}">${md.utils.escapeHtml(formatArabicDate(date, options.dateStyle))}</time>\n`;
  };
}

/** Turns the container's bullet list into an ordered list of dated events, reporting bad lines. */
function markEvents(state: StateCore, open: number, close: number, innerLevel: number, options: TimelineOptions): void {
  const env = state.env as MarkdownEnv;
  const tokens = state.tokens;
  const report = (token: Token, message: string) =>
    env.problems.push({
      file: env.file,
      line: lineOfToken(env, token.map),
      field: "timeline",
      message,
      fix: `write each event as ${itemSyntax}`,
    });

  let reportedStray = false;
  let items = 0;
  for (let i = open + 1; i < close; i++) {
    const token = tokens[i]!;
    if (token.level === innerLevel && !token.type.startsWith("bullet_list") && !reportedStray) {
      report(token, "a timeline holds only a list of dated events; this block is something else");
      reportedStray = true;
    }
    if (token.level === innerLevel && token.type.startsWith("bullet_list")) {
      token.type = token.type.replace("bullet_list", "ordered_list");
      token.tag = "ol";
      continue;
    }
    if (token.type !== "list_item_open" || token.level !== innerLevel + 1) continue;
    items++;
    const paragraph = tokens[i + 1];
    const inline = tokens[i + 2];
    if (paragraph?.type !== "paragraph_open" || inline?.type !== "inline") {
      report(token, `a timeline event must start with its date, as ${itemSyntax}`);
      continue;
    }
    const start = eventStart.exec(inline.content);
    if (!start) {
      report(token, `this event does not start with a date: "${inline.content.split("\n")[0]}"`);
      continue;
    }
    const date = parseArticleDate(start[1]!, options.timeZone);
    if ("error" in date) {
      report(token, `event date ${date.error}`);
      continue;
    }
    inline.content = inline.content.slice(start[0].length);
    env.events.push({ date, text: inline.content.trim() });
    if (inline.content.trim() === "")
      report(
        token,
        `the event on ${start[1]} has no text after the date; write ${acceptedDateForms} then what happened`,
      );
    const time = new state.Token("timeline_date", "time", 0);
    time.meta = date;
    time.level = paragraph.level;
    time.block = true;
    paragraph.hidden = false;
    const paragraphClose = tokens.slice(i + 3).find((t) => t.type === "paragraph_close" && t.level === paragraph.level);
    if (paragraphClose) paragraphClose.hidden = false;
    tokens.splice(i + 1, 0, time);
    close++;
  }
  if (items === 0) report(tokens[open]!, "this timeline has no events");
}
