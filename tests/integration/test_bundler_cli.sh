#!/usr/bin/env bash
# The squashnix command's behaviour users rely on: --help/--version, --dry-run, the default output
# name, -q and -v, --exclude (the program and its interpreter are never excluded; the summary says
# how much was left out), --program, desktop integration from --desktop-file/--icon, the warning
# for a package without it, and --closure without a store path.
. "$(dirname "$0")/lib.sh"
sn_require_root

demo=$(sn_fixture_demo)
tmp=$(sn_tmpdir)
SN=$SN_BUILD/squashnix
offset=$(stat -c %s "$SN_BUILD/runtime")
glibc=$(nix-store -qR "$demo" | grep demo-glibc)

help=$("$SN" --help) || sn_fail "--help failed"
for opt in --closure --closure-key --appdir --dry-run --program --exclude --entry --desktop-file \
    --icon --output --runtime --update-info --compression --level --block-size --jobs --quiet \
    --verbose --help --version --nix-builder inspect 'Exit status'; do
    sn_assert_contains "$help" "$opt" "--help"
done
sn_assert_eq "squashnix 0.1.0" "$("$SN" --version)" "--version"
# The man page documents every option --help lists, and the exit statuses.
man=$(MANWIDTH=200 man -l "$SN_ROOT/docs/squashnix.1" 2>/dev/null) || sn_fail "man page does not render"
for opt in $(grep -oE -- '--[a-z][a-z-]+' <<<"$help" | sort -u); do
    sn_assert_contains "$man" "$opt" "man page"
done
sn_assert_contains "$man" "EXIT STATUS" "man page"

# --dry-run: the paths, their count and NAR size; nothing written.
dry=$(cd "$tmp" && "$SN" --dry-run "$demo") || sn_fail "--dry-run failed"
nar=$(nix "${SN_NIX_OPTS[@]}" path-info --json --recursive "$demo" | python3 -c 'import json,sys; print(sum(e["narSize"] for e in json.load(sys.stdin)))')
sn_assert_eq "$(nix-store -qR "$demo" | sort)" "$(head -n 3 <<<"$dry")" "--dry-run paths"
sn_assert_contains "$(tail -n 1 <<<"$dry")" "3 store paths" "--dry-run count"
sn_assert_contains "$(tail -n 1 <<<"$dry")" "($nar bytes)" "--dry-run NAR size"
sn_assert_eq "" "$(ls -A "$tmp")" "files written by --dry-run"

# Default output name, in the working directory, through the ./result link Nix users have; -q.
ln -s "$demo" "$tmp/result"
quiet=$(cd "$tmp" && "$SN" -q ./result 2>&1) || sn_fail "bundling ./result failed: $quiet"
sn_assert_eq "" "$quiet" "-q output"
[ -x "$tmp/demo-hello-1.0-$(uname -m).AppImage" ] || sn_fail "default output name: $(ls "$tmp")"

# Without -q: the desktop warning and the summary as the last line; -v lists what goes in.
log=$("$SN" -v -o "$tmp/v.AppImage" "$demo" 2>&1) || sn_fail "-v failed: $log"
sn_assert_contains "$log" "warning: $demo has no share/applications/*.desktop" "desktop warning"
sn_assert_contains "$log" "  $glibc" "-v lists the store paths"
sn_assert_contains "$log" "/AppRun <- $SN_BUILD/AppRun" "-v lists the entry"
sn_assert_contains "$(tail -n 1 <<<"$log")" "squashnix: wrote $tmp/v.AppImage" "summary line"
sn_assert_contains "$(tail -n 1 <<<"$log")" "saved by deduplication, 0 B excluded" "summary line"

case "$log" in *ETA*) sn_fail "progress bar drawn although stderr is not a terminal" ;; esac
# On a terminal (script(1) gives one): the progress bar with bytes, rate and ETA.
tty=$(script -qec "'$SN' -o '$tmp/tty.AppImage' '$demo'" /dev/null | tr '\r' '\n') || sn_fail "run on a terminal failed"
grep -Eq '^\[#+\] 100% ([0-9.]+ [KM]iB) / \1, [0-9.]+ [KM]?i?B/s, ETA 0:00' <<<"$tty" ||
    sn_fail "no complete progress bar (bytes, rate, ETA) on a terminal: $tty"

# --exclude: docs and the glibc store path's contents go, except what the program needs to
# start (its interpreter); the summary counts what was left out.
log=$("$SN" -o "$tmp/x.AppImage" --exclude '*/share/doc/*' --exclude '*-demo-glibc-*/lib/*' \
    --exclude '*/bin/*' "$demo" 2>&1) || sn_fail "--exclude failed: $log"
mnt=$(sn_mount_image "$tmp/x.AppImage" "$offset")
[ ! -e "$mnt$demo/share/doc/demo-hello/README" ] || sn_fail "excluded README is in the image"
[ ! -e "$mnt$glibc/lib/libc.so.6" ] || sn_fail "excluded libc.so.6 is in the image"
[ -x "$mnt$demo/bin/demo-hello" ] || sn_fail "the program was excluded"
[ -e "$mnt$glibc/lib/ld-linux-x86-64.so.2" ] || sn_fail "the program's interpreter was excluded"
readme=$(stat -c %s "$demo/share/doc/demo-hello/README")
libc=$(stat -c %s "$glibc/lib/libc.so.6")
sn_assert_contains "$(tail -n 1 <<<"$log")" "$(python3 -c "
s=$readme+$libc
print(f'{s/1024/1024:.2f} MiB excluded' if s >= 1<<20 else f'{s/1024:.1f} KiB excluded')")" "summary of excluded bytes"

# --program, absolute; --closure with no store path (the closure's only root is the package).
nix "${SN_NIX_OPTS[@]}" path-info --json --recursive "$demo" >"$tmp/closure.json"
"$SN" -q --closure "$tmp/closure.json" --program "$demo/bin/demo-hello" -o "$tmp/p.AppImage" ||
    sn_fail "--program absolute failed"
"$SN" -q --closure "$tmp/closure.json" -o "$tmp/c.AppImage" || sn_fail "--closure alone failed"
cmp "$tmp/p.AppImage" "$tmp/c.AppImage" || sn_fail "--closure alone chose another program"
mkdir -p "$tmp/other/bin"
printf '#!/bin/sh\n' >"$tmp/other/bin/other"
chmod 0755 "$tmp/other/bin/other"
other=$(nix-store --add "$tmp/other")
rc=0
msg=$("$SN" -q --program "$other/bin/other" -o "$tmp/bad.AppImage" "$demo" 2>&1) || rc=$?
sn_assert_eq 1 "$rc" "exit status for a --program outside the closure"
sn_assert_contains "$msg" "--program $other/bin/other is not in the closure of $demo" "message"
[ ! -e "$tmp/bad.AppImage" ] || sn_fail "output written for a --program outside the closure"

# --desktop-file and --icon: at the image root, and .DirIcon; no warning.
printf '[Desktop Entry]\nType=Application\nName=Demo\nExec=demo-hello\nIcon=demo\nCategories=Utility;\n' >"$tmp/demo.desktop"
python3 -c 'import struct,zlib,sys
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
raw = b"".join(b"\0" + b"\xff\0\0" * 256 for _ in range(256))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))' >"$tmp/icon.png"
log=$("$SN" -o "$tmp/d.AppImage" --desktop-file "$tmp/demo.desktop" --icon "$tmp/icon.png" "$demo" 2>&1) ||
    sn_fail "--desktop-file/--icon failed: $log"
case "$log" in *warning*) sn_fail "warning despite --desktop-file and --icon: $log" ;; esac
mnt=$(sn_mount_image "$tmp/d.AppImage" "$offset")
cmp "$tmp/demo.desktop" "$mnt/demo.desktop" || sn_fail "/demo.desktop"
cmp "$tmp/icon.png" "$mnt/demo.png" || sn_fail "/demo.png"
sn_assert_eq "demo.png" "$(readlink "$mnt/.DirIcon")" "/.DirIcon"
echo ok
