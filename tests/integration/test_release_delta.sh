#!/usr/bin/env bash
# Delta updates across versions of a package with many store paths: a closure of 17 store paths
# (Python standard library packages copied into the real Nix store with nix-store --add, and a
# static busybox as the program), and a second version in which one of them differs by one line
# of one small file (so it has a new store path; the other 16 are the same). squashnix packs each
# store path's small files and tail ends into its own fragments, so the unchanged store paths keep
# their bytes: Debian's zsync client, updating the old bundle from the new one's .zsync over HTTP
# on 127.0.0.1, must rebuild the new bundle byte for byte and fetch less than 1.2% of it (0.79%
# here; fragments shared across store paths re-pack every store path after the changed one:
# 1.69% here, up to 3.7% when the changed store path sorts first). The figure is printed.
. "$(dirname "$0")/lib.sh"
sn_require_root

SN=$SN_BUILD/squashnix
stdlib=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
[ -d "$stdlib/json" ] || sn_fail "no Python standard library at $stdlib (Debian's python3)"
sn_tmpdir_into tmp
mkdir "$tmp/v1" "$tmp/srv" "$tmp/client"
for p in asyncio collections concurrent ctypes email encodings html http importlib json logging \
    multiprocessing sqlite3 unittest urllib xml; do
    mkdir -p "$tmp/v1/sn-delta-py-$p/lib"
    cp -r "$stdlib/$p" "$tmp/v1/sn-delta-py-$p/lib/"
    find "$tmp/v1/sn-delta-py-$p" -name __pycache__ -prune -exec rm -rf {} +
done
mkdir -p "$tmp/v1/sn-delta-app/bin"
cp /bin/busybox "$tmp/v1/sn-delta-app/bin/app"
cp -r "$tmp/v1" "$tmp/v2"
echo "# version 2" >>"$tmp/v2/sn-delta-py-json/lib/json/tool.py"

export SOURCE_DATE_EPOCH=1700000000
bundle() { # VERSION OUTPUT [OPTIONS]
    local v=$1 out=$2 paths=() d
    shift 2
    for d in "$tmp/$v"/*; do
        paths+=("$(nix-store --add "$d")") || sn_fail "nix-store --add $d failed"
    done
    "$SN" -q --program "${paths[0]}/bin/app" "$@" -o "$out" "${paths[@]}" ||
        sn_fail "squashnix failed for $v"
}
bundle v1 "$tmp/client/app.AppImage"
bundle v2 "$tmp/srv/app.AppImage" --zsync
new=$tmp/srv/app.AppImage
size=$(stat -c %s "$new")

sn_http_serve_into port "$tmp/srv" "$tmp/http.log"
cd "$tmp/client"
zsync -i app.AppImage -o updated.AppImage "http://127.0.0.1:$port/app.AppImage.zsync" \
    >"$tmp/zsync.out" 2>&1 || { cat "$tmp/zsync.out" >&2; sn_fail "zsync client failed"; }
cmp updated.AppImage "$new" || sn_fail "the updated bundle differs from the new bundle"
fetched=$(sed -n 's/.*used [0-9]* local, fetched \([0-9]*\).*/\1/p' "$tmp/zsync.out")
[ -n "$fetched" ] || { cat "$tmp/zsync.out" >&2; sn_fail "no 'fetched' figure in zsync's output"; }
printf 'zsync delta, one of 17 store paths changed: fetched %d of %d bytes (%s%%)\n' "$fetched" "$size" \
    "$(awk -v f="$fetched" -v s="$size" 'BEGIN { printf "%.2f", 100 * f / s }')"
((fetched * 1000 < size * 12)) || sn_fail "zsync fetched $fetched of $size bytes: not less than 1.2%"
echo "PASS test_release_delta"
