#!/bin/sh
# The browser tests and `npm run lighthouse` drive Debian's Chromium at /usr/bin/chromium (test
# tools' own browser downloads fail on the build machines). `npm test` runs this first: on a fresh
# machine it installs the package, as root (CI) or through passwordless sudo, with DejaVu Sans,
# whose Arabic glyphs stand in for the phones' system fonts in the layout checks.
set -eu
[ -x /usr/bin/chromium ] && exit 0
echo "Chromium is missing: installing Debian's chromium package for the browser tests" >&2
failed() {
  echo "installing Chromium failed (apt-get says why above): check the machine's package sources, install it with \`apt-get install chromium fonts-dejavu-core\`, then npm test again" >&2
  exit 1
}
if [ "$(id -u)" -eq 0 ]; then
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core; } || failed
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  { sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core; } || failed
else
  echo "cannot install it without root: run \`sudo apt-get install chromium\`, then npm test again" >&2
  exit 1
fi
