/**
 * Node's options for a worker thread or child process that loads midad's TypeScript: the build's own where it runs
 * under tsx, else those and tsx's loader, as a build compiled by scripts/launch.mjs runs without it.
 */
export function typeScriptExecArgv(): string[] {
  if (process.execArgv.some((option) => option.includes("tsx"))) return process.execArgv;
  return [...process.execArgv, "--import", import.meta.resolve("tsx")];
}
