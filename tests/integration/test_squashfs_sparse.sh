#!/usr/bin/env bash
# A 5 GiB sparse file (size and in-file offsets past 32 bits, data islands at the start, across
# the 4 GiB mark and in the tail end): the writer stores its holes as sparse blocks without reading
# them, uses an extended inode, and readers give back the size and every byte. Reading 5 GiB of
# zeros through the kernel takes half a minute here, so the kernel and squashfuse are checked on
# the islands and around them; sqfsdiff (against mksquashfs's image) and unsquashfs (sparse-aware
# comparison of the whole file) check every byte.
. "$(dirname "$0")/lib.sh"
sn_require_root
MKFS=$SN_BUILD/tools/sqw-mkfs

tmp=$(sn_tmpfs_dir)
mkdir "$tmp/src"
big=$tmp/src/big
G=$((1024 * 1024 * 1024))
size=$((5 * G + 12345))
truncate -s $size "$big"
head -c $((1024 * 1024)) /dev/urandom | dd of="$big" conv=notrunc status=none
head -c 300 /dev/urandom | dd of="$big" bs=1 seek=$((4 * G - 100)) conv=notrunc status=none
echo "the tail end" | dd of="$big" bs=1 seek=$((5 * G + 100)) conv=notrunc status=none
echo small >"$tmp/src/small"

"$MKFS" -j 2 "$tmp/src" "$tmp/img.sqfs" >/dev/null || sn_fail "sqw-mkfs failed"
img_size=$(stat -c %s "$tmp/img.sqfs")
[ "$img_size" -lt $((3 * 1024 * 1024)) ] || sn_fail "image is $img_size bytes: holes were stored"
st=$(rdsquashfs -s /big "$tmp/img.sqfs")
sn_assert_contains "$st" "Inode type: extended file" "inode type of the 5 GiB file"
sn_assert_contains "$st" "File size: $size" "size of the 5 GiB file"

# Same bytes in SRC and DST at these ranges (offset:length).
ranges="0:2097152 $((4 * G - 1048576)):2097152 $((5 * G - 1048576)):$((1048576 + 12345))"
check_ranges() { # DIR
    sn_assert_eq "$size" "$(stat -c %s "$1/big")" "size of big in $1"
    local r off len
    for r in $ranges; do
        off=${r%:*} len=${r#*:}
        cmp <(tail -c +$((off + 1)) "$big" | head -c "$len") <(tail -c +$((off + 1)) "$1/big" | head -c "$len") ||
            sn_fail "big differs in $1 at bytes $off+$len"
    done
    cmp "$tmp/src/small" "$1/small" || sn_fail "small differs in $1"
}

mnt=$(sn_mount_image "$tmp/img.sqfs")
check_ranges "$mnt"
umount "$mnt"

mnt=$(sn_tmpdir)
squashfuse "$tmp/img.sqfs" "$mnt" || sn_fail "squashfuse failed"
sn_cleanup_add "fusermount3 -u '$mnt'"
check_ranges "$mnt"
fusermount3 -u "$mnt"

mksquashfs "$tmp/src" "$tmp/ref.sqfs" -all-root -no-xattrs -noappend -quiet -comp zstd >/dev/null
sqfsdiff -a "$tmp/ref.sqfs" -b "$tmp/img.sqfs" || sn_fail "sqfsdiff: the image differs from mksquashfs's"

unsquashfs -d "$tmp/u" "$tmp/img.sqfs" >/dev/null || sn_fail "unsquashfs failed"
python3 - "$big" "$tmp/u/big" <<'PY' || sn_fail "unsquashfs gave back a different 5 GiB file"
import os, sys
# Holes read as zeros, so only ranges where either file has data need reading.
def data_ranges(fd, size):
    out, pos = [], 0
    while pos < size:
        try:
            start = os.lseek(fd, pos, os.SEEK_DATA)
        except OSError:
            break
        end = os.lseek(fd, start, os.SEEK_HOLE)
        out.append((start, end))
        pos = end
    return out
a, b = (os.open(p, os.O_RDONLY) for p in sys.argv[1:3])
size = os.fstat(a).st_size
assert size == os.fstat(b).st_size
for start, end in data_ranges(a, size) + data_ranges(b, size):
    for off in range(start, end, 1 << 20):
        n = min(1 << 20, end - off)
        if os.pread(a, n, off) != os.pread(b, n, off):
            sys.exit("differ at %d" % off)
PY
echo "ok: a 5 GiB sparse file is stored sparse and read back exactly"
