/**
 * The moment a build is for: what "the last 48 hours" of the news sitemap and the time of an empty
 * feed are counted from. `SOURCE_DATE_EPOCH` (whole seconds since 1970, the reproducible-builds
 * convention) fixes it, so the same articles always give the same files; without it, it is now.
 */
export function buildTimeFrom(env: Record<string, string | undefined>, now: () => Date = () => new Date()): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === "") return now();
  if (!/^\d+$/.test(epoch.trim())) {
    throw new Error(
      `SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, such as 1641650400, got "${epoch}"; unset it to build for the current time`,
    );
  }
  return new Date(Number(epoch.trim()) * 1000);
}
