/**
 * `execArgv` for a worker thread that loads midad's TypeScript: none of its own where the build runs under tsx (the
 * thread inherits the build's options, tsx's loader with them), else tsx's loader, as a build compiled by
 * scripts/launch.mjs runs without it.
 */
export function typeScriptExecArgv(): string[] | undefined {
  if (process.execArgv.some((option) => option.includes("tsx"))) return undefined;
  return ["--import", import.meta.resolve("tsx")];
}
