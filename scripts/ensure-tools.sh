#!/usr/bin/env bash
# scripts/ensure-tools.sh [TOOL...]
#
# Make sure command-line tools the project's scripts need are present, installing the Debian
# package that provides each missing one with apt-get. Known tools:
#   xmllint  -> libxml2-utils   (XSD validation with the XML catalog)
#   dpkg-deb -> dpkg            (normally always there on Debian)
#   chromium -> chromium        (headless browser for the web page tests and scripts/screenshot.sh)
#   wrk      -> wrk             (HTTP load generator of bench/load.sh)
# With no arguments, checks xmllint.
#
# May also be sourced; it then defines ensure_tool / ensure_xmllint / as_root / apt_update_once
# without running anything (and without changing the caller's shell options).

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "ensure-tools: need root (or sudo) to run: $*" >&2
        return 1
    fi
}

_apt_updated=0
apt_update_once() {
    if [ "$_apt_updated" -eq 0 ]; then
        as_root apt-get update -qq
        _apt_updated=1
    fi
}

# ensure_tool COMMAND DEBIAN-PACKAGE
ensure_tool() {
    local cmd="$1" pkg="$2"
    if command -v "$cmd" >/dev/null 2>&1; then
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "ensure-tools: '$cmd' is missing and apt-get is not available; install package '$pkg'" >&2
        return 1
    fi
    echo "ensure-tools: '$cmd' not found; installing Debian package '$pkg'" >&2
    # The package lists may be empty on a fresh machine: install, and on failure update and retry.
    if ! DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null; then
        apt_update_once
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null
    fi
    command -v "$cmd" >/dev/null 2>&1 || { echo "ensure-tools: '$cmd' still missing after installing '$pkg'" >&2; return 1; }
}

ensure_xmllint() { ensure_tool xmllint libxml2-utils; }

_package_for() {
    case "$1" in
        xmllint) echo libxml2-utils ;;
        dpkg-deb|dpkg) echo dpkg ;;
        chromium) echo chromium ;;
        wrk) echo wrk ;;
        *) return 1 ;;
    esac
}

main() {
    local tools=("$@")
    [ "${#tools[@]}" -gt 0 ] || tools=(xmllint)
    local t pkg
    for t in "${tools[@]}"; do
        pkg="$(_package_for "$t")" || { echo "ensure-tools: unknown tool '$t'" >&2; return 2; }
        ensure_tool "$t" "$pkg"
    done
}

# Only act when executed, not when sourced.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    main "$@"
fi
