#!/bin/sh
# Install the Debian packages Reelwright needs that are not installed yet.
# Usage: system-deps.sh PACKAGE...
# Quiet when everything is there; never fails the build on a system that is
# not Debian-like, where it prints what to install instead.
set -u

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
    for package in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)
        case "$status" in
            *"install ok installed"*) ;;
            *) missing="$missing $package" ;;
        esac
    done
else
    echo "Not a Debian-like system: make sure Noto Sans CJK (or another" \
         "Traditional Chinese font) is installed." >&2
    exit 0
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo -n"
else
    echo "Please install these Debian packages:$missing" >&2
    echo "  sudo apt-get install$missing" >&2
    exit 0
fi

echo "Installing Debian packages:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null || true
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
