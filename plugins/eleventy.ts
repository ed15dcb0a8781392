/** The parts of Eleventy 3's configuration API that midad's plugins use (Eleventy ships no types). */
export interface EleventyConfig {
  addGlobalData(name: string, value: unknown): void;
  addTemplate(virtualPath: string, content: unknown, data?: Record<string, unknown>): void;
  addWatchTarget(target: string): void;
  /** Options for chokidar, Eleventy's file watcher, over Eleventy's own (`awaitWriteFinish`: 150 ms, polled every 25). */
  setChokidarConfig(options: Record<string, unknown>): void;
  /** Rewrites every output before it is written; `this.outputPath` names the file. */
  addTransform(
    name: string,
    transform: (this: { outputPath: string | false }, content: string) => string | Promise<string>,
  ): void;
  /** A filter another plugin registered, such as the HTML base plugin's `transformWithHtmlBase`. */
  getFilter(name: string): ((...args: never[]) => unknown) | undefined;
  addPlugin<T>(plugin: (config: EleventyConfig, options: T) => void | Promise<void>, options?: T): void;
  on(event: "eleventy.after", listener: (event: AfterBuildEvent) => unknown): void;
  on<Args extends unknown[]>(event: string, listener: (...args: Args) => unknown): void;
  /** Calls every listener of a custom event (one plugin handing its results to another), awaiting them. */
  emit(event: string, ...args: unknown[]): Promise<unknown>;
}

export interface AfterBuildEvent {
  directories: { output: string };
  /** `fs` when files are written; `json`/`ndjson` for programmatic in-memory builds. */
  outputMode: string;
  runMode: string;
  /** What Eleventy itself wrote this build (the page writer's pages are not among them). */
  results: { outputPath: string | false }[];
}
