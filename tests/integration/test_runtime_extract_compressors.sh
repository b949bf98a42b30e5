#!/usr/bin/env bash
# The runtime's own squashfs reader (runtime/sqfs/) extracts exactly what unsquashfs does: images
# written by mksquashfs with every compressor it has (gzip, lzma, lzo, lz4, xz, zstd, and
# uncompressed) and by squashnix's writer (sqw-mkfs: zstd, xz, gzip, lz4, none), of a tree with
# every awkward case (hard links, symlinks, long names, deep nesting, 10 000 entries in a
# directory, fragments, duplicates) plus sparse files. Compared: type, mode, size, content,
# symlink target, mtime, hard link groups. Sparse blocks stay holes. Set-id bits are the one
# intended difference (the runtime drops them).
. "$(dirname "$0")/lib.sh"
sn_require_root
MKFS=$SN_BUILD/tools/sqw-mkfs
[ -x "$MKFS" ] || sn_fail "$MKFS missing: run make"

tmp=$(sn_tmpfs_dir)
src=$(sn_awkward_tree "$tmp/src")
mkdir "$src/sparse"
truncate -s 8M "$src/sparse/hole-only"
printf 'middle' | dd of="$src/sparse/hole-middle" bs=1 seek=$((3 << 20)) conv=notrunc status=none
truncate -s 5M "$src/sparse/hole-middle" # ends in a hole

# Extracts IMAGE with the runtime and with unsquashfs and compares the trees.
check() { # IMAGE WHAT
    local img=$1 what=$2 x=$tmp/x ref=$tmp/ref
    rm -rf "$x" "$ref" "$tmp/bundle"
    mkdir "$x"
    cat "$SN_BUILD/runtime" "$img" >"$tmp/bundle" && chmod 0755 "$tmp/bundle"
    (cd "$x" && "$tmp/bundle" --appimage-extract >/dev/null) || sn_fail "$what: --appimage-extract failed"
    unsquashfs -q -no-xattrs -d "$ref" "$img" >/dev/null || sn_fail "$what: unsquashfs failed"
    sn_assert_eq 755 "$(stat -c %a "$x/squashfs-root/modes/setuid")" "$what: set-id bit dropped"
    chmod u-s "$ref/modes/setuid"
    sn_tree_compare "$ref" "$x/squashfs-root" --no-root-mtime
    local blocks
    blocks=$(stat -c %b "$x/squashfs-root/sparse/hole-only")
    [ "$blocks" -lt 64 ] || sn_fail "$what: an 8 MiB hole takes $blocks blocks: not sparse"
    sn_assert_eq $((5 << 20)) "$(stat -c %s "$x/squashfs-root/sparse/hole-middle")" "$what: size of a file ending in a hole"
    chmod -R u+w "$x" "$ref"
}

for comp in gzip lzma lzo lz4 xz zstd; do
    sn_log "mksquashfs -comp $comp"
    mksquashfs "$src" "$tmp/m.sqfs" -comp "$comp" -all-root -no-xattrs -noappend -quiet >/dev/null
    check "$tmp/m.sqfs" "mksquashfs $comp"
done
sn_log "mksquashfs, nothing compressed, 4 KiB blocks"
mksquashfs "$src" "$tmp/m.sqfs" -noI -noD -noF -noX -b 4096 -all-root -no-xattrs -noappend -quiet >/dev/null
check "$tmp/m.sqfs" "mksquashfs uncompressed"
for comp in zstd xz gzip lz4 none; do
    sn_log "squashnix writer -c $comp"
    "$MKFS" -c "$comp" "$src" "$tmp/s.sqfs" >/dev/null || sn_fail "sqw-mkfs -c $comp failed"
    check "$tmp/s.sqfs" "squashnix $comp"
done
echo ok
