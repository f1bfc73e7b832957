#!/bin/sh
# Proves the patch workflow loses nothing: patches/ applied with `git am` to
# the upstream commit and exported again gives patches/ back byte for byte,
# and every patch passes QEMU's checkpatch and carries a Signed-off-by.
#
# usage: roundtrip.sh SRC PATCHES   (TAP on stdout)

set -eu
src=$(cd "$1" && pwd)
patches=$(cd "$2" && pwd)
here=$(cd "$(dirname "$0")/../../scripts" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

list=$(sed -e '/^#/d' -e '/^$/d' "$patches/series")
count=$(echo "$list" | grep -c . || true)
echo "1..$((count + 1))"

git clone --quiet --no-checkout "$src" "$scratch/tree"
git -C "$scratch/tree" checkout --quiet -b roundtrip upstream
git -C "$scratch/tree" tag upstream upstream 2>/dev/null || true
n=0
failed=0
for rel in $list; do
    n=$((n + 1))
    why=
    if ! git -C "$scratch/tree" am --quiet --keep-cr "$patches/$rel" > "$scratch/am.log" 2>&1; then
        why="does not apply: $(head -n 2 "$scratch/am.log" | tr '\n' ' ')"
        git -C "$scratch/tree" am --abort > /dev/null 2>&1 || true
    elif ! (cd "$src" && ./scripts/checkpatch.pl -q "$patches/$rel") > "$scratch/cp.log" 2>&1; then
        why="checkpatch: $(head -n 3 "$scratch/cp.log" | tr '\n' ' ')"
    elif ! grep -q '^Signed-off-by: ' "$patches/$rel"; then
        why="no Signed-off-by"
    fi
    if [ -n "$why" ]; then
        echo "not ok $n - $rel: $why"
        failed=$((failed + 1))
    else
        echo "ok $n - $rel applies, is checkpatch-clean and signed off"
    fi
done

cp -r "$patches/." "$scratch/export/" 2>/dev/null || { mkdir -p "$scratch/export"; cp -r "$patches/." "$scratch/export/"; }
"$here/export-series" "$scratch/tree" "$scratch/export"
if diff -r "$patches" "$scratch/export" > "$scratch/diff.log" 2>&1; then
    echo "ok $((count + 1)) - re-imported series exports byte-identical to patches/"
else
    echo "not ok $((count + 1)) - re-imported series exports differently:"
    sed 's/^/# /' "$scratch/diff.log" | head -n 20
    failed=$((failed + 1))
fi
[ "$failed" = 0 ]
