#!/usr/bin/env bash
# scripts/check-validate-agreement.sh [-v]
#
# Cross-checks `voreg validate` against xmllint on the real records of the shared corpus.
#
# For every single-record file of the corpus (MANIFEST-files.tsv: n_voresource_records == 1 and
# a qualified root element ri:Resource or vr:Resource), it runs
#   XML_CATALOG_FILES=Schemas/catalog.xml xmllint --nonet --noout --schema Schemas/registry-records.xsd FILE
#   $VOREG validate FILE
# and reports every file on which the two verdicts (VALID / INVALID) differ. The last line is
#   agreement: N files, M disagreements
# Exit status: 0 when all agree, 1 on any disagreement, 2 on a setup problem (no voreg binary,
# schemas that do not compile, ...). Without the corpus it prints a message and exits 0.
#
# Environment:
#   VOREG   the voreg executable (default .build/debug/voreg in the repository)
#   CORPUS  the corpus folder (default ../shared/corpus next to the repository)
# Option -v prints the verdicts for every file, not only the disagreements.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
cd "$repo_root"

verbose=0
for arg in "$@"; do
    case "$arg" in
        -v|--verbose) verbose=1 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "check-validate-agreement: unknown argument $arg" >&2; exit 2 ;;
    esac
done

corpus="${CORPUS:-$repo_root/../shared/corpus}"
manifest="$corpus/MANIFEST-files.tsv"
if [ ! -f "$manifest" ]; then
    echo "check-validate-agreement: corpus not found at $corpus (no MANIFEST-files.tsv); skipping"
    exit 0
fi

voreg="${VOREG:-$repo_root/.build/debug/voreg}"
if [ ! -x "$voreg" ]; then
    echo "check-validate-agreement: voreg executable not found at $voreg (build it first or set VOREG)" >&2
    exit 2
fi

"$script_dir/ensure-tools.sh" xmllint
"$script_dir/fetch-schemas.sh" >/dev/null

schema="$repo_root/Schemas/registry-records.xsd"
export XML_CATALOG_FILES="$repo_root/Schemas/catalog.xml"

# The driver schema must compile offline; otherwise every verdict below would be meaningless.
# (xmllint exits 5 when the schema itself does not compile.)
probe="$(mktemp)"
trap 'rm -f "$probe"' EXIT
printf '<probe/>\n' > "$probe"
set +e
compile_out="$(xmllint --nonet --noout --schema "$schema" "$probe" 2>&1)"
rc=$?
set -e
if [ "$rc" -eq 5 ] || grep -q 'failed to load' <<<"$compile_out"; then
    echo "check-validate-agreement: $schema does not compile offline:" >&2
    grep -v 'Skipping import' <<<"$compile_out" >&2 || true
    exit 2
fi

# Single-record files with a qualified ri:Resource / vr:Resource root.
mapfile -t files < <(awk -F'\t' '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    $col["n_voresource_records"] == 1 &&
    ($col["root_element"] == "{http://www.ivoa.net/xml/RegistryInterface/v1.0}Resource" ||
     $col["root_element"] == "{http://www.ivoa.net/xml/VOResource/v1.0}Resource") { print $col["file"] }
' "$manifest")

if [ "${#files[@]}" -eq 0 ]; then
    echo "check-validate-agreement: no single-record files listed in $manifest" >&2
    exit 2
fi

first_error() {  # first line of xmllint output that is an actual problem
    grep -v -e 'Skipping import' -e ' validates$' -e ' fails to validate$' | head -n 1 \
        | sed 's/^.*Schemas validity error : //' | cut -c1-240
}

n=0
m=0
for rel in "${files[@]}"; do
    f="$corpus/$rel"
    if [ ! -f "$f" ]; then
        echo "missing file listed in manifest: $rel" >&2
        m=$((m + 1)); n=$((n + 1))
        continue
    fi
    n=$((n + 1))

    set +e
    x_out="$(xmllint --nonet --noout --schema "$schema" "$f" 2>&1)"
    x_rc=$?
    v_out="$("$voreg" validate "$f" 2>&1)"
    v_rc=$?
    set -e

    # xmllint: 0 valid; 1 not well-formed, 3 schema-invalid (both INVALID); anything else is an error.
    case "$x_rc" in
        0) x_verdict=VALID ;;
        1|3) x_verdict=INVALID ;;
        *) x_verdict="ERROR(xmllint exit $x_rc)" ;;
    esac

    # voreg validate: one line per record, "<ivoid>\tVALID" or "<ivoid>\tINVALID\t<where>: <msg>",
    # exit 0 when all are valid and 1 when any is invalid.
    if grep -q $'\tINVALID' <<<"$v_out"; then
        v_verdict=INVALID
    elif grep -q $'\tVALID' <<<"$v_out"; then
        v_verdict=VALID
    else
        v_verdict="ERROR(no verdict line, exit $v_rc)"
    fi
    if { [ "$v_verdict" = VALID ] && [ "$v_rc" -ne 0 ]; } || { [ "$v_verdict" = INVALID ] && [ "$v_rc" -ne 1 ]; }; then
        v_verdict="$v_verdict(but exit $v_rc)"
    fi

    if [ "$x_verdict" != "$v_verdict" ]; then
        m=$((m + 1))
        echo "DISAGREE $rel: xmllint=$x_verdict voreg=$v_verdict"
        [ "$x_verdict" = VALID ] || echo "    xmllint: $(first_error <<<"$x_out")"
        if [ "$v_verdict" != VALID ]; then
            echo "    voreg:   $(grep -m1 -v $'\tVALID$' <<<"$v_out" | cut -c1-240)"
        fi
    elif [ "$verbose" -eq 1 ]; then
        echo "agree    $rel: $x_verdict"
    fi
done

echo "agreement: $n files, $m disagreements"
[ "$m" -eq 0 ]
