#!/usr/bin/env bash
# The runtime is an AppImage type 2 runtime: magic "AI\x02" at offset 8, the four zero-filled
# sections with their exact sizes, stripped (image offset = file size), no /nix/store path in it;
# its informational options work and say what they do; bad options fail with 127 and a message;
# the portable home/config directories are created and used.
. "$(dirname "$0")/lib.sh"
sn_require_root

rt=$SN_BUILD/runtime
t=$(sn_tmpdir)

sn_assert_eq "414902" "$(od -An -tx1 -j8 -N3 "$rt" | tr -d ' \n')" "magic AI\\x02 at offset 8"
for s in .digest_md5:16 .upd_info:1024 .sha256_sig:1024 .sig_key:8192; do
    name=${s%%:*} size=${s##*:}
    line=$(readelf -SW "$rt" | grep -F " $name ") || sn_fail "section $name missing"
    sn_assert_contains "$line" PROGBITS "section $name is PROGBITS"
    sn_assert_eq "$size" "$((16#$(awk '{for (i = 1; i <= NF; i++) if ($i == "PROGBITS") print $(i + 3)}' <<<"$line")))" \
        "size of $name"
done
readelf -SW "$rt" | grep -q -F ' .symtab ' && sn_fail "the runtime is not stripped"
sn_assert_eq "" "$(strings "$rt" | grep /nix/store || true)" "no /nix/store path in the runtime"
file "$rt" | grep -q 'statically linked' || sn_fail "the runtime is not static: $(file "$rt")"

sn_runtime_shell_appdir "$t/app" >/dev/null
sn_mksquashfs_appimage "$t/app" "$t/A.AppImage" "$SN_BUILD/runtime"
sn_assert_eq "$(stat -c %s "$rt")" "$("$t/A.AppImage" --appimage-offset)" "--appimage-offset"
sn_assert_eq "$(stat -c %s "$rt")" "$(TARGET_APPIMAGE="$t/A.AppImage" "$rt" --appimage-offset)" \
    "--appimage-offset of \$TARGET_APPIMAGE"
out=$(TARGET_APPIMAGE="$t/A.AppImage" "$rt" x 2>&1)
sn_assert_contains "$out" "APPIMAGE=$t/A.AppImage" "TARGET_APPIMAGE runs that bundle"
sn_assert_eq "" "$("$t/A.AppImage" --appimage-updateinfo)" "empty update info"
sn_assert_eq "" "$("$t/A.AppImage" --appimage-signature)" "empty signature"
# appimagetool writes the update information into the section in place: it must be read back.
off=$(readelf -SW "$t/A.AppImage" | awk '$2 == ".upd_info" {print $5}')
printf 'gh-releases-zsync|me|app|latest|A-*.AppImage.zsync' |
    dd of="$t/A.AppImage" bs=1 seek=$((16#$off)) conv=notrunc status=none
sn_assert_eq 'gh-releases-zsync|me|app|latest|A-*.AppImage.zsync' "$("$t/A.AppImage" --appimage-updateinfo)" \
    "update info written in place"

help=$("$t/A.AppImage" --appimage-help)
for o in extract extract-and-run mount offset help version updateinfo signature portable-home portable-config; do
    sn_assert_contains "$help" "--appimage-$o" "help documents --appimage-$o"
done
for w in 127 TARGET_APPIMAGE TMPDIR APPIMAGE_EXTRACT_AND_RUN NO_CLEANUP FUSERMOUNT_PROG APPDIR ARGV0 OWD; do
    sn_assert_contains "$help" "$w" "help documents $w"
done
sn_assert_contains "$("$t/A.AppImage" --appimage-version)" "squashnix runtime" "--appimage-version"

set +e
err=$("$t/A.AppImage" --appimage-bogus 2>&1 >/dev/null)
rc=$?
set -e
sn_assert_eq 127 "$rc" "unknown --appimage-* option"
sn_assert_contains "$err" "--appimage-bogus" "the message names the option"
set +e
out=$("$t/A.AppImage" --appimage-offset extra 2>&1)
rc=$?
set -e
sn_assert_eq 127 "$rc" "an option that takes no argument, given one"

sn_log "portable home and config"
err=$("$t/A.AppImage" --appimage-portable-home 2>&1)
sn_assert_contains "$err" "$t/A.AppImage.home" "portable home reported"
"$t/A.AppImage" --appimage-portable-config 2>/dev/null
[ -d "$t/A.AppImage.home" ] && [ -d "$t/A.AppImage.config" ] || sn_fail "portable directories not created"
out=$("$t/A.AppImage")
sn_assert_contains "$out" "HOME=$t/A.AppImage.home" "HOME is the portable home"
sn_assert_contains "$out" "XDG_CONFIG_HOME=$t/A.AppImage.config" "XDG_CONFIG_HOME is the portable config"
echo ok
