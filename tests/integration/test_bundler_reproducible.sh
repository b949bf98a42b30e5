#!/usr/bin/env bash
# Reproducible bundles: the same closure and options give byte-identical files across runs, -j
# values, the order the closure JSON lists paths in, and (for --appdir) the input files' times and
# owners; SOURCE_DATE_EPOCH is honoured and recorded.
. "$(dirname "$0")/lib.sh"
sn_require_root

demo=$(sn_fixture_demo)
tmp=$(sn_tmpdir)
sn() { "$SN_BUILD/squashnix" -q "$@" || sn_fail "squashnix $* failed"; }

sn -o "$tmp/a" "$demo"
sn -o "$tmp/b" "$demo"
cmp "$tmp/a" "$tmp/b" || sn_fail "two runs differ"
sn -j 1 -o "$tmp/j1" "$demo"
sn -j 2 -o "$tmp/j2" "$demo"
cmp "$tmp/a" "$tmp/j1" || sn_fail "-j 1 differs from the default"
cmp "$tmp/j1" "$tmp/j2" || sn_fail "-j 1 and -j 2 differ"

# The closure from a file, in Nix's order and reversed: the same bytes as from Nix itself.
nix "${SN_NIX_OPTS[@]}" path-info --json --recursive "$demo" >"$tmp/closure.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.reverse(); json.dump(d, sys.stdout)' \
    "$tmp/closure.json" >"$tmp/reversed.json"
sn --closure "$tmp/closure.json" -o "$tmp/file" "$demo"
sn --closure - -o "$tmp/stdin" <"$tmp/reversed.json"
cmp "$tmp/a" "$tmp/file" || sn_fail "--closure FILE differs from the Nix query"
cmp "$tmp/a" "$tmp/stdin" || sn_fail "reversed closure JSON on stdin gives another file"

# SOURCE_DATE_EPOCH: every time in the image, recorded in info.json; the default is 1.
SOURCE_DATE_EPOCH=1700000000 sn -o "$tmp/sde" "$demo"
SOURCE_DATE_EPOCH=1700000000 sn -o "$tmp/sde2" "$demo"
cmp "$tmp/sde" "$tmp/sde2" || sn_fail "SOURCE_DATE_EPOCH runs differ"
! cmp -s "$tmp/a" "$tmp/sde" || sn_fail "SOURCE_DATE_EPOCH has no effect"
offset=$(stat -c %s "$SN_BUILD/runtime")
mnt=$(sn_mount_image "$tmp/sde" "$offset")
sn_assert_eq "1700000000" "$(stat -c %Y "$mnt/AppRun")" "time of /AppRun"
sn_assert_eq "1700000000" "$(stat -c %Y "$mnt$demo/bin/demo-hello")" "time of a store file"
sn_assert_eq "1700000000" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sourceDateEpoch"])' "$mnt/.squashnix/info.json")" "info.json sourceDateEpoch"
mnt1=$(sn_mount_image "$tmp/a" "$offset")
sn_assert_eq "1" "$(stat -c %Y "$mnt1/AppRun")" "default time of /AppRun"

# --appdir: input times and owners do not matter.
app=$tmp/My.AppDir
mkdir -p "$app/usr/bin"
printf '#!/bin/sh\necho hi\n' >"$app/AppRun"
echo data >"$app/usr/bin/data"
chmod 0755 "$app/AppRun"
(cd "$tmp" && sn --appdir "$app")
[ -f "$tmp/My-$(uname -m).AppImage" ] || sn_fail "default --appdir output name: $(ls "$tmp")"
touch -d '2001-01-01' "$app/AppRun" "$app/usr/bin/data" "$app/usr"
chown -R 2001:2345 "$app"
sn --appdir "$app" -o "$tmp/app2"
cmp "$tmp/My-$(uname -m).AppImage" "$tmp/app2" || sn_fail "--appdir output depends on times or owners"
echo ok
