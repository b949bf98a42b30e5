#!/usr/bin/env bash
# Bad input to the squashfs writer: a fifo (never opened, so never blocks), a socket or a device
# in the tree, a missing source, bad options. Each gives a clear message naming the path or the
# value, a non-zero status, and leaves no output file behind.
. "$(dirname "$0")/lib.sh"
sn_require_root
MKFS=$SN_BUILD/tools/sqw-mkfs

tmp=$(sn_tmpdir)

expect_failure() { # STATUS NEEDLE ARGS...
    local want=$1 needle=$2 rc=0 err
    shift 2
    err=$(timeout 20 "$MKFS" "$@" 2>&1 >/dev/null) || rc=$?
    [ "$rc" != 124 ] || sn_fail "sqw-mkfs $* hung"
    sn_assert_eq "$want" "$rc" "exit status of sqw-mkfs $*"
    sn_assert_contains "$err" "$needle" "message of sqw-mkfs $*"
    [ ! -e "$tmp/out.sqfs" ] || sn_fail "sqw-mkfs $* left $tmp/out.sqfs behind"
}

mkdir -p "$tmp/fifo/sub" "$tmp/sock" "$tmp/dev"
echo data >"$tmp/fifo/sub/a"
mkfifo "$tmp/fifo/sub/pipe"
expect_failure 1 "$tmp/fifo/sub/pipe is a named pipe (fifo)" "$tmp/fifo" "$tmp/out.sqfs"

python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/sock/s"
expect_failure 1 "$tmp/sock/s is a socket" "$tmp/sock" "$tmp/out.sqfs"

mknod "$tmp/dev/null" c 1 3
expect_failure 1 "$tmp/dev/null is a character device" "$tmp/dev" "$tmp/out.sqfs"

expect_failure 1 "$tmp/missing" "$tmp/missing" "$tmp/out.sqfs"
mkdir "$tmp/ok"
echo hi >"$tmp/ok/f"
expect_failure 1 "zstd level 23 is out of range: use 1 to 22" -l 23 "$tmp/ok" "$tmp/out.sqfs"
expect_failure 1 "block size 3000 is not a power of two" -b 3000 "$tmp/ok" "$tmp/out.sqfs"
expect_failure 1 "block size 2097152 is not a power of two" -b 2097152 "$tmp/ok" "$tmp/out.sqfs"
expect_failure 2 "unknown compressor" -c lzo "$tmp/ok" "$tmp/out.sqfs"

# An existing file keeps its prefix and loses only what a failed run wrote after it.
head -c 1000 /dev/urandom >"$tmp/keep"
cp "$tmp/keep" "$tmp/keep.orig"
rc=0
"$MKFS" --offset 1000 "$tmp/fifo" "$tmp/keep" 2>/dev/null || rc=$?
sn_assert_eq 1 "$rc" "exit status with an existing output"
cmp "$tmp/keep" "$tmp/keep.orig" || sn_fail "a failed run changed the existing output"
echo "ok: bad input is refused with clear messages and nothing left behind"
