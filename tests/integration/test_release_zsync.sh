#!/usr/bin/env bash
# Delta updates for real: two versions of the demo fixture (1.0 and 1.1 differ in the store paths
# demo-greet and demo-hello; demo-glibc is shared) bundled by squashnix; the new bundle's .zsync is
# written by squashnix --zsync and must be byte-identical to Debian's zsyncmake's for the same file
# and URL (MTime included: with SOURCE_DATE_EPOCH the bundle's modification time is that). The new bundle is served over HTTP on 127.0.0.1 and
# Debian's zsync client updates a copy of the old bundle from it: the result must be
# byte-identical to the new bundle, and fetch less than a tenth of it. The figure is printed.
. "$(dirname "$0")/lib.sh"
sn_require_root

old_path=$(sn_fixture_demo 1.0)
new_path=$(sn_fixture_demo 1.1)
sn_tmpdir_into tmp
mkdir "$tmp/srv" "$tmp/client" "$tmp/ref"
export SOURCE_DATE_EPOCH=1700000000
"$SN_BUILD/squashnix" -q -o "$tmp/client/demo.AppImage" "$old_path" || sn_fail "squashnix failed on $old_path"
"$SN_BUILD/squashnix" -q --zsync -o "$tmp/srv/demo.AppImage" "$new_path" || sn_fail "squashnix --zsync failed on $new_path"
new=$tmp/srv/demo.AppImage
size=$(stat -c %s "$new")
cmp -s "$tmp/client/demo.AppImage" "$new" && sn_fail "the two versions' bundles are identical: nothing to test"

# The .zsync, with a URL relative to the .zsync's own (the usual release-page layout), as
# zsyncmake writes it.
sn_assert_eq 1700000000 "$(stat -c %Y "$new")" "the bundle's modification time"
cp -p "$new" "$tmp/ref/demo.AppImage"
(cd "$tmp/ref" && zsyncmake -u demo.AppImage -o demo.AppImage.zsync demo.AppImage 2>/dev/null) ||
    sn_fail "zsyncmake failed"
cmp "$tmp/ref/demo.AppImage.zsync" "$new.zsync" || sn_fail ".zsync differs from zsyncmake's"

# Update the old bundle from the server with Debian's zsync client.
sn_http_serve_into port "$tmp/srv" "$tmp/http.log"
cd "$tmp/client"
zsync -i demo.AppImage -o updated.AppImage "http://127.0.0.1:$port/demo.AppImage.zsync" \
    >"$tmp/zsync.out" 2>&1 || { cat "$tmp/zsync.out" >&2; sn_fail "zsync client failed"; }
cmp updated.AppImage "$new" || sn_fail "the updated bundle differs from the new bundle"

# Bytes fetched, as the client reports them ("used N local, fetched M") and as the server sent
# them for the bundle itself (206 responses; a 200 would be a full download).
fetched=$(sed -n 's/.*used [0-9]* local, fetched \([0-9]*\).*/\1/p' "$tmp/zsync.out")
[ -n "$fetched" ] || { cat "$tmp/zsync.out" >&2; sn_fail "no 'fetched' figure in zsync's output"; }
served=$(awk '$1 == 206 { n += $2 } END { print n + 0 }' "$tmp/http.log")
full=$(awk '$1 == 200 && $2 > 100000 { n++ } END { print n + 0 }' "$tmp/http.log")
sn_assert_eq 0 "$full" "full downloads of the bundle"
[ "$served" -gt 0 ] || sn_fail "the server sent no ranges"
((fetched * 10 < size)) || sn_fail "zsync fetched $fetched of $size bytes: not less than a tenth"
printf 'zsync delta 1.0 -> 1.1: fetched %d of %d bytes (%s%%); server sent %d bytes of ranges\n' \
    "$fetched" "$size" "$(awk -v f="$fetched" -v s="$size" 'BEGIN { printf "%.2f", 100 * f / s }')" "$served"
echo "PASS test_release_zsync"
