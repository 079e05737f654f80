#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages given as arguments when any is missing.
# `apt-get update` runs once, and only when something must be installed.
# Used by `make run` (X11/GL headers for Fyne) and `make test` (the same,
# plus poppler-utils to read PDFs back and xvfb for screenshots).
set -euo pipefail
missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing packages: ${missing[*]}. Install them with your system's package manager." >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
