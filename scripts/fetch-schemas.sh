#!/usr/bin/env bash
# scripts/fetch-schemas.sh [DEST]
#
# Put the official IVOA / OAI-PMH / W3C XML Schema files that VORegistry validates against into
# DEST (default: Schemas/ivoa next to this script's repository). Schemas/catalog.xml maps the
# schemas' namespace URIs and schemaLocation URLs to the files there.
#
# Source: Debian's python3-gavo package (GAVO DaCHS), which ships the schemas under
# usr/lib/python3/dist-packages/gavo/resources/schemata/. The package is only downloaded
# and unpacked (`dpkg -x`) in a temporary directory; it is NOT installed, and none of its
# dependencies are fetched. We pin python3-gavo 2.11+dfsg-2 (Debian 13 "trixie", fetched from
# Debian's pool and checked against its SHA-256): its VOResource.xsd is the 1.2 line (e.g.
# http(s) patterns on URLs), as current registries validate. If that download fails, the
# package of the running release is taken with `apt-get download` (2.7+dfsg-2 on Debian 12,
# VOResource 1.1).
#
# Idempotent: if DEST already holds the files (and the stamp file written at the end of a
# successful run), nothing is done. Use --force to fetch again.
#
# Environment:
#   GAVO_DEB=/path/python3-gavo_*.deb   use this .deb instead of downloading one
#
# Notes:
# * As root, `apt-get download` prints "W: Download is performed unsandboxed as root ..."
#   because the _apt user cannot write to the temporary directory. That warning is harmless.
# * `apt-get update` is only run (with sudo when not root) when the download fails, e.g. on a
#   fresh machine whose package lists are empty.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"

force=0
dest=""
for arg in "$@"; do
    case "$arg" in
        --force) force=1 ;;
        -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "fetch-schemas: unknown option $arg" >&2; exit 2 ;;
        *) [ -z "$dest" ] || { echo "fetch-schemas: only one DEST allowed" >&2; exit 2; }
           dest="$arg" ;;
    esac
done
dest="${dest:-$repo_root/Schemas/ivoa}"

PACKAGE=python3-gavo
SCHEMATA=usr/lib/python3/dist-packages/gavo/resources/schemata
STAMP=.fetched-from
PINNED_VERSION=2.11+dfsg-2
PINNED_URL=http://deb.debian.org/debian/pool/main/g/gavodachs/python3-gavo_${PINNED_VERSION}_all.deb
PINNED_SHA256=bd23ce60a327a33936986f80b4e262ec094341343cb3848f27a460b3cd333ca7

# Files the catalog and the driver schemas rely on. If any is missing, fetch again.
REQUIRED=(
    VOResource.xsd RegistryInterface.xsd VODataService.xsd VORegistry.xsd StandardsRegExt.xsd
    TAPRegExt.xsd ConeSearch.xsd SIA.xsd SSA.xsd SSA-v1.2.xsd SLAP.xsd DocRegExt.xsd
    VOSIAvailability.xsd VOSICapabilities.xsd VOSITables.xsd UWS.xsd
    VOTable.xsd VOTable-1.1.xsd VOTable-1.2.xsd
    OAI-PMH.xsd oai_dc.xsd simpledc20021212.xsd xml.xsd xlink.xsd XMLSchema.xsd
    stc.xsd stc-v1.20.xsd coords-v1.20.xsd region-v1.20.xsd
    XMLSchema.dtd datatypes.dtd
)

have_all() {
    [ -f "$dest/$STAMP" ] || return 1
    grep -q "$PINNED_VERSION" "$dest/$STAMP" || [ -n "${GAVO_DEB:-}" ] || return 1
    local f
    for f in "${REQUIRED[@]}"; do
        [ -s "$dest/$f" ] || return 1
    done
}

if [ "$force" -eq 0 ] && have_all; then
    echo "fetch-schemas: schemas already present in $dest ($(head -n1 "$dest/$STAMP"))"
    exit 0
fi

# as_root: run directly as root, else through sudo (shared with ensure-tools.sh)
# shellcheck source=scripts/ensure-tools.sh
. "$(dirname "${BASH_SOURCE[0]}")/ensure-tools.sh"

for tool in dpkg dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || { echo "fetch-schemas: '$tool' not found (Debian/Ubuntu needed)" >&2; exit 1; }
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/voreg-schemas.XXXXXX")"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

deb=""
if [ -n "${GAVO_DEB:-}" ]; then
    [ -f "$GAVO_DEB" ] || { echo "fetch-schemas: GAVO_DEB=$GAVO_DEB does not exist" >&2; exit 1; }
    deb="$GAVO_DEB"
elif echo "fetch-schemas: downloading $PACKAGE $PINNED_VERSION from Debian's pool (not installing it)" &&
     python3 - "$PINNED_URL" "$tmp/pinned.deb" "$PINNED_SHA256" <<'PY'
import hashlib, sys, urllib.request
url, out, want = sys.argv[1:4]
try:
    data = urllib.request.urlopen(url, timeout=60).read()
except OSError as e:
    sys.exit(f"fetch-schemas: {url}: {e}")
got = hashlib.sha256(data).hexdigest()
if got != want:
    sys.exit(f"fetch-schemas: {url}: SHA-256 {got}, expected {want}")
open(out, "wb").write(data)
PY
then
    deb="$tmp/pinned.deb"
else
    echo "fetch-schemas: pinned download failed; falling back to this release's package" >&2
    command -v apt-get >/dev/null 2>&1 || { echo "fetch-schemas: apt-get not found; set GAVO_DEB to a $PACKAGE .deb" >&2; exit 1; }
    echo "fetch-schemas: downloading Debian package $PACKAGE (not installing it)"
    if ! (cd "$tmp" && apt-get download -q "$PACKAGE"); then
        echo "fetch-schemas: download failed; running apt-get update and retrying" >&2
        as_root apt-get update -qq
        (cd "$tmp" && apt-get download -q "$PACKAGE")
    fi
    for f in "$tmp"/"$PACKAGE"_*.deb; do
        [ -f "$f" ] && deb="$f"
    done
    [ -n "$deb" ] || { echo "fetch-schemas: apt-get download produced no .deb" >&2; exit 1; }
fi

version="$(dpkg-deb -f "$deb" Version 2>/dev/null || echo unknown)"
echo "fetch-schemas: unpacking $(basename "$deb") (version $version)"
dpkg -x "$deb" "$tmp/x"
src="$tmp/x/$SCHEMATA"
[ -d "$src" ] || { echo "fetch-schemas: $SCHEMATA not found in $PACKAGE $version" >&2; exit 1; }

for f in "${REQUIRED[@]}"; do
    [ -s "$src/$f" ] || { echo "fetch-schemas: $PACKAGE $version lacks $f" >&2; exit 1; }
done

mkdir -p "$dest"
rm -f "$dest/$STAMP"
n=0
for f in "$src"/*.xsd "$src"/XMLSchema.dtd "$src"/datatypes.dtd; do
    install -m 0644 "$f" "$dest/"
    n=$((n + 1))
done
printf '%s %s\n%s\n' "$PACKAGE" "$version" "$SCHEMATA" > "$dest/$STAMP"
echo "fetch-schemas: copied $n files from $PACKAGE $version into $dest"
