#!/usr/bin/env bash
# The squashfs writer is reproducible and writes at an offset: the same tree gives the same bytes
# whatever the thread count and whatever order the directory entries were created in (readdir
# order); SOURCE_DATE_EPOCH sets every time; an image written after a prefix (as after the runtime)
# leaves the prefix alone and reads back through the kernel (offset=), unsquashfs (-o) and
# squashfuse (-o offset=).
. "$(dirname "$0")/lib.sh"
sn_require_root
MKFS=$SN_BUILD/tools/sqw-mkfs

tmp=$(sn_tmpfs_dir)
src=$(sn_awkward_tree "$tmp/src")

sha() { sha256sum "$1" | cut -d' ' -f1; }

export SOURCE_DATE_EPOCH=1700000000
"$MKFS" -j 1 "$src" "$tmp/j1.sqfs" >/dev/null || sn_fail "sqw-mkfs -j 1 failed"
"$MKFS" -j 2 "$src" "$tmp/j2.sqfs" >/dev/null || sn_fail "sqw-mkfs -j 2 failed"
"$MKFS" -j 7 "$src" "$tmp/j7.sqfs" >/dev/null || sn_fail "sqw-mkfs -j 7 failed"
sn_assert_eq "$(sha "$tmp/j1.sqfs")" "$(sha "$tmp/j2.sqfs")" "sha256 of -j 1 and -j 2 images"
sn_assert_eq "$(sha "$tmp/j1.sqfs")" "$(sha "$tmp/j7.sqfs")" "sha256 of -j 1 and -j 7 images"

# The same tree made again with entries created in reverse order (another readdir order), with
# its modes, times and hardlinks.
python3 - "$src" "$tmp/rev" <<'PY' || sn_fail "copying the tree in reverse order failed"
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
entries = []
for d, dirs, files in os.walk(src):
    entries += [os.path.relpath(os.path.join(d, n), src) for n in dirs + files]
os.mkdir(dst)
seen = {}
for rel in sorted(entries, reverse=True):
    s, t = os.path.join(src, rel), os.path.join(dst, rel)
    st = os.lstat(s)
    os.makedirs(os.path.dirname(t), exist_ok=True)
    if os.path.islink(s):
        os.symlink(os.readlink(s), t)
    elif os.path.isdir(s):
        os.makedirs(t, exist_ok=True)
    elif (st.st_dev, st.st_ino) in seen:
        os.link(seen[(st.st_dev, st.st_ino)], t)
    else:
        shutil.copy2(s, t)
        seen[(st.st_dev, st.st_ino)] = t
for rel in sorted(entries, key=len, reverse=True) + ["."]:
    s, t = os.path.join(src, rel), os.path.join(dst, rel)
    st = os.lstat(s)
    if not os.path.islink(s):
        os.chmod(t, st.st_mode & 0o7777)
    os.utime(t, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
PY
sn_tree_compare "$src" "$tmp/rev"
[ "$(ls -f "$src/many" | head -5)" != "$(ls -f "$tmp/rev/many" | head -5)" ] ||
    sn_log "note: readdir order happens to be the same in both copies"
"$MKFS" -j 2 "$tmp/rev" "$tmp/rev.sqfs" >/dev/null || sn_fail "sqw-mkfs of the reversed copy failed"
sn_assert_eq "$(sha "$tmp/j2.sqfs")" "$(sha "$tmp/rev.sqfs")" "sha256 of images of the tree created in two orders"

# SOURCE_DATE_EPOCH sets every time, including the superblock's.
mnt=$(sn_mount_image "$tmp/j2.sqfs")
sn_tree_compare "$src" "$mnt" --mtime 1700000000
umount "$mnt"
sn_assert_contains "$(unsquashfs -stat "$tmp/j2.sqfs")" "$(date -u -d @1700000000 '+%a %b %e %H:%M:%S %Y' | sed 's/  / /')" "superblock time"

# At an offset after a prefix that must stay as it was.
unset SOURCE_DATE_EPOCH
off=123457
head -c $off /dev/urandom >"$tmp/prefix"
cp "$tmp/prefix" "$tmp/appimage"
"$MKFS" --offset $off -j 2 "$src" "$tmp/appimage" >/dev/null || sn_fail "sqw-mkfs --offset failed"
cmp -n $off "$tmp/prefix" "$tmp/appimage" || sn_fail "the prefix before the offset changed"
"$MKFS" -j 2 "$src" "$tmp/plain.sqfs" >/dev/null
cmp "$tmp/plain.sqfs" <(tail -c +$((off + 1)) "$tmp/appimage") ||
    sn_fail "the image at an offset differs from the image alone"
mnt=$(sn_mount_image "$tmp/appimage" $off)
sn_tree_compare "$src" "$mnt" --root-owned
umount "$mnt"
unsquashfs -o $off -d "$tmp/u" "$tmp/appimage" >/dev/null || sn_fail "unsquashfs -o $off failed"
sn_tree_compare "$src" "$tmp/u"
mnt=$(sn_tmpdir)
squashfuse -o offset=$off "$tmp/appimage" "$mnt" || sn_fail "squashfuse -o offset=$off failed"
sn_cleanup_add "fusermount3 -u '$mnt'"
sn_tree_compare "$src" "$mnt" --no-inode-numbers
fusermount3 -u "$mnt"
echo "ok: reproducible whatever the thread count and readdir order; readable at an offset"
