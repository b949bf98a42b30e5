#!/usr/bin/env bash
# Special files given to the bundler: a fifo, a socket, a character and a block device inside an
# input tree (--appdir), and a fifo named as each file option (--runtime, --entry, --icon,
# --desktop-file) or as `inspect FILE`. Each is refused with a message naming the path and what
# it is, exit status 1, within 5 s (the bundler never blocks opening or reading a fifo that has
# no writer), and no output or temporary file is left. (--closure FILE may be a pipe on purpose,
# `--closure <(nix path-info ...)`, so it is not in this list.)
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
demo=$(sn_fixture_demo)
mkdir -p "$t/app/usr/lib" "$t/out"
printf '#!/bin/sh\necho hi\n' >"$t/app/AppRun"
chmod 0755 "$t/app/AppRun"
touch "$t/app/.DirIcon"
mkfifo "$t/fifo"
blocked=() # every command that blocked, reported at the end

# Runs squashnix with ARGS (output into $t/out); sets rc and err. Fails the test on a hang.
run() { # ARGS...
    set +e
    err=$(timeout 5 "$SN_BUILD/squashnix" "$@" 2>&1)
    rc=$?
    set -e
    if [ "$rc" = 124 ]; then
        blocked+=("squashnix $*")
        return 1
    fi
    [ -z "$(ls -A "$t/out")" ] || sn_fail "squashnix $*: left $(ls -A "$t/out") in the output directory"
}

sn_log "special files in an input tree (--appdir)"
special() { # WHAT NEEDLE MAKE...
    local what=$1 needle=$2
    shift 2
    "$@"
    run -q --runtime "$SN_BUILD/runtime" --appdir "$t/app" -o "$t/out/app.AppImage" ||
        sn_fail "blocked on a special file in the tree: $what"
    sn_assert_eq 1 "$rc" "$what: exit status ($err)"
    sn_assert_contains "$err" "$t/app/usr/lib/$what" "$what: message names the path"
    sn_assert_contains "$err" "$needle" "$what: message says what it is"
    rm -f "$t/app/usr/lib/$what"
}
special fifo "named pipe" mkfifo "$t/app/usr/lib/fifo"
special socket "socket" python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$t/app/usr/lib/socket"
special chardev "character device" mknod "$t/app/usr/lib/chardev" c 1 3
special blockdev "block device" mknod "$t/app/usr/lib/blockdev" b 7 200

sn_log "the tree without them bundles (the checks above were not failing for another reason)"
run -q --runtime "$SN_BUILD/runtime" --appdir "$t/app" -o "$t/app.AppImage" || sn_fail "blocked"
sn_assert_eq 0 "$rc" "clean tree ($err)"

sn_log "a fifo named as a file option or as inspect's file"
for opt in --runtime --entry --icon --desktop-file; do
    args=(-q --runtime "$SN_BUILD/runtime" --entry "$SN_BUILD/AppRun" "$opt" "$t/fifo")
    run "${args[@]}" -o "$t/out/demo.AppImage" "$demo" || continue
    sn_assert_eq 1 "$rc" "$opt fifo: exit status ($err)"
    sn_assert_contains "$err" "$t/fifo" "$opt fifo: message names the path"
done
if run inspect "$t/fifo"; then
    [ "$rc" != 0 ] || sn_fail "inspect of a fifo succeeded"
    sn_assert_contains "$err" "$t/fifo" "inspect fifo: message names the path"
fi
[ ${#blocked[@]} -eq 0 ] || sn_fail "blocked on a fifo for 5 s:$(printf '\n  %s' "${blocked[@]}")"
echo ok
