#!/usr/bin/env bash
# A truncated or corrupted bundle gives a clear error naming the file, exit status 127, no crash,
# and leaves nothing behind (no mount, no loop device, no .mount_* directory, no cache entry), as
# root and as a user, in every mode.
. "$(dirname "$0")/lib.sh"
sn_require_root
sn_allow_user_fuse

t=$(sn_tmpdir)
user=$(sn_test_user)
mkdir "$t/cache" && chown "$user" "$t/cache"
sn_runtime_shell_appdir "$t/app" >/dev/null
sn_mksquashfs_appimage "$t/app" "$t/good.AppImage" "$SN_BUILD/runtime"
offset=$("$t/good.AppImage" --appimage-offset)
used=$(od -An -tu8 -j$((offset + 40)) -N8 "$t/good.AppImage" | tr -d ' ') # superblock bytes_used

# Damaged copies.
head -c "$offset" "$t/good.AppImage" >"$t/cut-at-image.AppImage"
head -c $((offset + used - 1)) "$t/good.AppImage" >"$t/cut-in-image.AppImage"
cp "$t/good.AppImage" "$t/bad-magic.AppImage"
printf 'X' | dd of="$t/bad-magic.AppImage" bs=1 seek="$offset" conv=notrunc status=none
cp "$t/good.AppImage" "$t/bad-size.AppImage" # bytes_used (superblock byte 40) made huge
printf '\377\377' | dd of="$t/bad-size.AppImage" bs=1 seek=$((offset + 46)) conv=notrunc status=none
cp "$t/good.AppImage" "$t/bad-root.AppImage" # root inode reference (byte 32) pointing nowhere
printf '\377\377\377' | dd of="$t/bad-root.AppImage" bs=1 seek=$((offset + 34)) conv=notrunc status=none
cp "$t/good.AppImage" "$t/bad-comp.AppImage" # compression id (byte 20): unknown
printf '\77' | dd of="$t/bad-comp.AppImage" bs=1 seek=$((offset + 20)) conv=notrunc status=none
: >"$t/empty.AppImage"
chmod 0755 "$t"/*.AppImage

mounts() { grep -e '/\.mount_' -e ' /run/squashnix' /proc/self/mountinfo || true; }
before_mounts=$(mounts)

# Runs ARGS (as root or, with --user, as the test user) and expects 127 and a message naming FILE.
expect_127() { # [--user] FILE ARGS...
    local as=()
    if [ "$1" = --user ]; then
        as=(setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user" XDG_CACHE_HOME="$t/cache")
        shift
    fi
    local file=$1 err rc
    shift
    set +e
    err=$(cd "$t" && "${as[@]}" "$@" 2>&1 >/dev/null)
    rc=$?
    set -e
    sn_assert_eq 127 "$rc" "$* ${as[*]:+(user)}: exit status (stderr: $err)"
    sn_assert_contains "$err" "$file" "$* ${as[*]:+(user)}: the message names the file"
    sn_assert_eq 1 "$(wc -l <<<"$err")" "$*: one message line"
}

for b in cut-at-image cut-in-image bad-magic bad-size bad-root bad-comp; do
    f=$t/$b.AppImage
    sn_log "$b"
    expect_127 "$f" "$f"
    expect_127 --user "$f" "$f"
    expect_127 --user "$f" env APPIMAGE_EXTRACT_AND_RUN=1 "$f"
    expect_127 "$f" "$f" --appimage-extract
    expect_127 "$f" "$f" --appimage-offset
    expect_127 --user "$f" "$f" --appimage-mount
done
sn_log "zero-length file"
expect_127 "$t/empty.AppImage" env TARGET_APPIMAGE="$t/empty.AppImage" "$SN_BUILD/runtime"
expect_127 --user "$t/empty.AppImage" env TARGET_APPIMAGE="$t/empty.AppImage" "$SN_BUILD/runtime" --appimage-extract-and-run
expect_127 "$t/nonexistent.AppImage" env TARGET_APPIMAGE="$t/nonexistent.AppImage" "$SN_BUILD/runtime"

# (.mount_ + the first 6 characters of each bundle's name)
sn_assert_eq "" "$(find /tmp -maxdepth 1 \( -name '.mount_cut-*' -o -name '.mount_bad-*' -o -name '.mount_empty.*' \))" \
    "no .mount_* left"
sn_assert_eq "$before_mounts" "$(mounts)" "no mount left"
sn_assert_eq "" "$(losetup -j "$t/good.AppImage"; for f in "$t"/*.AppImage; do losetup -j "$f"; done)" "no loop device left"
sn_assert_eq "" "$(find "$t/cache" -mindepth 2)" "no cache entry left"
[ ! -e "$t/squashfs-root" ] || [ -z "$(ls -A "$t/squashfs-root")" ] || sn_fail "extraction left files"
echo ok
