// Eleventy ships no type declarations; this covers the programmatic API that tests and scripts use.
declare module "@11ty/eleventy" {
  export interface EleventyOptions {
    quietMode?: boolean;
    configPath?: string;
    /**
     * `cli` makes the output folder given to the constructor win over a config file's `dir.output`, as on the command
     * line.
     */
    source?: "cli" | "script";
    config?: (eleventyConfig: import("./eleventy.ts").EleventyConfig) => unknown;
    /** Sets `ELEVENTY_RUN_MODE`, which `.eleventy.ts` reads (`npm start` runs in `serve`). */
    runMode?: "build" | "watch" | "serve";
  }
  /** Rewrites the URLs in HTML output (href, src, srcset, …) to carry the configured `pathPrefix`. */
  export function HtmlBasePlugin(
    eleventyConfig: import("./eleventy.ts").EleventyConfig,
    options?: Record<string, unknown>,
  ): void;
  export default class Eleventy {
    constructor(input?: string, output?: string, options?: EleventyOptions);
    toJSON(): Promise<{ url: string; inputPath: string; outputPath: string; content: string }[]>;
    write(): Promise<unknown>;
    /** Silences Eleventy's own log, errors included, for a caller that reports them itself. */
    disableLogger(): void;
    /** Eleventy's log, errors included; `overrideLogger` sends it to a console of one's own. */
    readonly logger: { overrideLogger(console: Pick<Console, "log" | "info" | "warn" | "error"> | undefined): void };
    init(): Promise<void>;
    /** Builds once, then watches the input and builds again on every change. */
    watch(): Promise<unknown>;
    serve(port: number): Promise<void>;
    /** Closes the server (telling open pages it went away) and the file watcher. */
    stopWatch(): Promise<void>;
  }
}
