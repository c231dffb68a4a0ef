#!/usr/bin/env bash
# Debian packages the tests use as real tools: poppler-utils (pdftotext, pdffonts,
# pdftoppm check the PDF report), chromium (the monitoring view is tested in a
# real headless browser) and docker-compose (validates docker-compose.yml without an
# engine). Installed only when missing; needs root or sudo.
set -euo pipefail
need=()
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v chromium >/dev/null || need+=(chromium)
command -v docker-compose >/dev/null || need+=(docker-compose)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo="sudo"
echo "installing Debian packages: ${need[*]}" >&2
$sudo apt-get update -qq >&2 || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 \
  || echo "WARNING: could not install ${need[*]}; the tests that need them will say so" >&2
