import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/**
 * Debian's Chromium, which the browser tests and `npm run lighthouse` drive. Test tools' own browser
 * downloads fail on the build machines, so none is used; `scripts/ensure-packages.sh` installs this one.
 */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Headless Chromium as root on a machine with no internet: no sandbox (it refuses to start as root
 * with one), no GPU, and none of the background traffic (updates, sync, QUIC probes, first-run
 * pages) that would fail, or count as a failed request, without a network.
 */
export const chromiumFlags = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Stops early, saying what to do, when Chromium is not installed. */
export function requireChromium(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}; run \`sh scripts/ensure-packages.sh\` (as root it installs Debian's chromium package)`,
    );
  }
}

/**
 * Debian's Chromium, headless; Playwright gives it a fresh temporary profile (user-data-dir) and removes it on close.
 */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
}
