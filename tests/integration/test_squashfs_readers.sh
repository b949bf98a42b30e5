#!/usr/bin/env bash
# The squashfs writer (sqw-mkfs drives it) against every independent reader, with every
# compressor: a tree with every awkward case plus the demo fixture's real Nix closure must read
# back exactly (type, mode, size, content, symlink target, times, hardlink sharing) through the
# kernel's squashfs driver, unsquashfs, rdsquashfs, sqfsdiff (against mksquashfs's image of the same
# tree) and squashfuse; unsquashfs -stat must show what we claim.
. "$(dirname "$0")/lib.sh"
sn_require_root
MKFS=$SN_BUILD/tools/sqw-mkfs
[ -x "$MKFS" ] || sn_fail "$MKFS missing: run make"

tmp=$(sn_tmpfs_dir)
src=$(sn_awkward_tree "$tmp/src")
demo=$(sn_fixture_demo)
mkdir -p "$src/nix/store"
for p in $(nix-store -qR "$demo"); do cp -a "$p" "$src/nix/store/"; done
[ -x "$src/nix/store/$(basename "$demo")/bin/demo-hello" ] || sn_fail "demo closure not copied"

# The peer's image of the same tree, for sqfsdiff.
mksquashfs "$src" "$tmp/ref.sqfs" -all-root -no-xattrs -noappend -quiet -comp zstd >/dev/null

check_stat() { # IMAGE SUPERBLOCK_COMPRESSOR
    local stat
    stat=$(unsquashfs -stat "$1")
    sn_assert_contains "$stat" "Compression $2" "unsquashfs -stat compression of $1"
    sn_assert_contains "$stat" "Block size 131072" "unsquashfs -stat block size of $1"
    sn_assert_contains "$stat" "Xattrs are not stored" "unsquashfs -stat xattrs of $1"
    sn_assert_contains "$stat" "Duplicates are removed" "unsquashfs -stat duplicates of $1"
    sn_assert_contains "$stat" "Always-use-fragments option is specified" "unsquashfs -stat fragments of $1"
    local frags
    frags=$(printf '%s\n' "$stat" | sed -n 's/^Number of fragments //p')
    [ "${frags:-0}" -gt 0 ] || sn_fail "no fragments in $1: $stat"
    # Every entry root-owned, as unsquashfs lists it (names with newlines span lines; skip those).
    local owners
    owners=$(unsquashfs -lls "$1" | grep -E '^[-dl][-rwxsStT]{9} ' | awk '{ print $2 }' | sort -u)
    sn_assert_eq "root/root" "$owners" "owners listed by unsquashfs -lls in $1"
}

check_readers() { # IMAGE
    local img=$1 mnt out
    mnt=$(sn_mount_image "$img")
    sn_tree_compare "$src" "$mnt" --root-owned
    umount "$mnt"

    out=$tmp/unsquashfs
    unsquashfs -no-xattrs -d "$out" "$img" >/dev/null || sn_fail "unsquashfs $img failed"
    sn_tree_compare "$src" "$out"
    rm -rf "$out"

    # rdsquashfs unpacks hardlinks as copies; their sharing shows in --stat.
    out=$tmp/rdsquashfs
    mkdir "$out"
    rdsquashfs -q -u / -p "$out" -C -T "$img" || sn_fail "rdsquashfs $img failed"
    sn_tree_compare "$src" "$out" --no-hardlinks --no-root-mtime
    rm -rf "$out"
    local a b
    a=$(rdsquashfs -s /links/a "$img" | grep -E '^(Inode number|Hard link count):')
    b=$(rdsquashfs -s /links/sub/c "$img" | grep -E '^(Inode number|Hard link count):')
    sn_assert_eq "$a" "$b" "rdsquashfs inode of /links/a and /links/sub/c"
    sn_assert_contains "$a" "Hard link count: 3" "rdsquashfs link count of /links/a"
    # The 10 000-entry directory has an index (every reader above looked names up through it).
    a=$(rdsquashfs -s /many "$img")
    sn_assert_contains "$a" "Inode type: extended directory" "inode type of /many"
    [ "$(printf '%s\n' "$a" | sed -n 's/^Directory index entries: //p')" -ge 10 ] ||
        sn_fail "/many has no directory index: $a"

    sqfsdiff -T -a "$tmp/ref.sqfs" -b "$img" >"$tmp/sqfsdiff.out" ||
        sn_fail "sqfsdiff: $img differs from mksquashfs's image: $(head -20 "$tmp/sqfsdiff.out")"

    mnt=$(sn_tmpdir)
    squashfuse "$img" "$mnt" || sn_fail "squashfuse $img failed"
    sn_cleanup_add "fusermount3 -u '$mnt'"
    # squashfuse numbers inodes itself: link counts show, sharing does not.
    sn_tree_compare "$src" "$mnt" --root-owned --no-inode-numbers
    fusermount3 -u "$mnt"
}

for comp in zstd xz gzip lz4 none; do
    sn_log "compressor $comp"
    img=$tmp/$comp.sqfs
    "$MKFS" -c "$comp" -j 2 "$src" "$img" >/dev/null || sn_fail "sqw-mkfs -c $comp failed"
    case $comp in none) sbcomp=gzip ;; *) sbcomp=$comp ;; esac
    check_stat "$img" "$sbcomp"
    check_readers "$img"
    rm -f "$img"
done

# Uncompressed really means uncompressed, and a non-default level is recorded.
"$MKFS" -c none "$src" "$tmp/none.sqfs" >/dev/null
sn_assert_contains "$(unsquashfs -stat "$tmp/none.sqfs")" "Data is uncompressed" "-c none data"
"$MKFS" -c zstd -l 3 "$src" "$tmp/z3.sqfs" >/dev/null
sn_assert_contains "$(unsquashfs -stat "$tmp/z3.sqfs")" "compression-level 3" "-l 3 recorded"
echo "ok: every reader reads back the tree with every compressor"
