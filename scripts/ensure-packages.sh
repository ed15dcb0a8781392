#!/bin/sh
# What the tests need from Debian beside Node.js. The browser tests and `npm run lighthouse` drive
# Debian's Chromium at /usr/bin/chromium (test tools' own browser downloads fail on the build
# machines), with DejaVu Sans, whose Arabic glyphs stand in for the phones' system fonts in the layout
# checks; the host tests (test/hosts.test.ts) serve a build with Debian's nginx, its brotli_static
# module and Caddy. `npm test` runs this first: on a fresh machine it installs whatever is missing in
# one apt-get install, as root (CI) or through passwordless sudo, and leaves no nginx or Caddy service
# running (the tests start their own, on free loopback ports).
set -eu
packages=""
services=""
need() { [ -e "$1" ] || packages="$packages $2"; }
need /usr/bin/chromium chromium
need /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core
need /usr/sbin/nginx nginx-light
need /usr/lib/nginx/modules/ngx_http_brotli_static_module.so libnginx-mod-http-brotli-static
need /usr/bin/caddy caddy
[ -z "$packages" ] && exit 0
# Only the services of packages installed now are stopped: an nginx the machine already ran is left alone.
[ -e /usr/sbin/nginx ] || services="nginx"
[ -e /usr/bin/caddy ] || services="$services caddy"
echo "missing for the browser and host tests:$packages; installing them from Debian" >&2
failed() {
  echo "installing$packages failed (apt-get says why above): check the machine's package sources, install them with \`apt-get install$packages\`, then npm test again" >&2
  exit 1
}
if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo"
else
  echo "cannot install$packages without root: run \`sudo apt-get install$packages\`, then npm test again" >&2
  exit 1
fi
$as_root apt-get update || failed
# Debian 13 folded nginx-light into nginx.
if echo "$packages" | grep -q nginx-light && ! apt-cache show nginx-light >/dev/null 2>&1; then
  packages=$(echo "$packages" | sed 's/nginx-light/nginx/')
fi
# $packages is a list of names: split on purpose.
# shellcheck disable=SC2086
$as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages || failed
# The packages start their services where they can (systemd; nginx's init script in a container without
# policy-rc.d), on port 80: stop them, and keep systemd from starting them at boot.
for service in $services; do
  if [ -d /run/systemd/system ]; then
    $as_root systemctl disable --now "$service" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$service" ]; then
    $as_root "/etc/init.d/$service" stop >/dev/null 2>&1 || true
  fi
done
