#!/usr/bin/env bash
# Without FUSE the bundle still runs, by extraction into the user's cache, and says why once on
# stderr: /dev/fuse absent (a private /dev without it), fusermount refusing (/dev/fuse not open to
# users), $FUSERMOUNT_PROG not a program. Also on a host without /nix, with the real demo bundle.
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
user=$(sn_test_user)
mkdir "$t/cache" && chown "$user" "$t/cache"
sn_runtime_shell_appdir "$t/app" >/dev/null
sn_mksquashfs_appimage "$t/app" "$t/N.AppImage" "$SN_BUILD/runtime"
demo=$(sn_fixture_demo)
"$SN_BUILD/squashnix" -q --runtime "$SN_BUILD/runtime" --entry "$SN_BUILD/AppRun" -o "$t/nofuse-demo.AppImage" "$demo"

# Runs ARGS as the test user in a mount namespace whose /dev has no fuse (but null, zero, urandom).
without_dev_fuse() {
    unshare --mount --propagation private -- sh -c '
        t=$1; shift
        for d in null zero urandom; do touch "$t/$d"; mount --bind "/dev/$d" "$t/$d"; done
        mount -t tmpfs -o mode=0755 none /dev
        for d in null zero urandom; do touch "/dev/$d"; mount --bind "$t/$d" "/dev/$d"; done
        exec "$@"' sh "$t" setpriv --reuid="$user" --regid=sntestg --init-groups \
        env HOME="/home/$user" XDG_CACHE_HOME="$t/cache" PATH=/usr/bin:/bin "$@"
}

# Checks a run: the program's output, and exactly one "FUSE unavailable" line naming WHY.
check() { # WHAT WHY
    sn_assert_contains "$out" "arg=hello" "$1: the program ran"
    sn_assert_eq 1 "$(grep -c 'FUSE unavailable' "$t/err")" "$1: said once ($(cat "$t/err"))"
    sn_assert_eq 1 "$(wc -l <"$t/err")" "$1: nothing else on stderr ($(cat "$t/err"))"
    sn_assert_contains "$(cat "$t/err")" "$2" "$1: says why"
}

out=$(without_dev_fuse "$t/N.AppImage" hello 2>"$t/err")
check "/dev/fuse absent" "/dev/fuse: No such file or directory"
sn_assert_contains "$out" "APPDIR=$t/cache/squashnix/" "/dev/fuse absent: ran from the cache"

# /dev/fuse closed to users (root's, 0600), in a namespace: the global one is shared with others.
mknod "$t/fuse" c 10 229
chmod 0600 "$t/fuse"
out=$(unshare --mount --propagation private -- sh -c 'mount --bind "$1" /dev/fuse && shift && exec "$@"' sh \
    "$t/fuse" setpriv --reuid="$user" --regid=sntestg --init-groups \
    env HOME="/home/$user" XDG_CACHE_HOME="$t/cache" "$t/N.AppImage" hello 2>"$t/err")
check "fusermount refused" "fusermount3"

out=$(sn_as_user env XDG_CACHE_HOME="$t/cache" FUSERMOUNT_PROG=/nonexistent/fusermount "$t/N.AppImage" hello 2>"$t/err")
check "FUSERMOUNT_PROG missing" "FUSERMOUNT_PROG=/nonexistent/fusermount"

sn_log "the demo bundle, without /dev/fuse and without /nix"
out=$(unshare --mount --propagation private -- sh -c 'mount -t tmpfs -o mode=0755 none /nix && exec "$@"' sh \
    bash -c "$(declare -f without_dev_fuse); user=$user t=$t; without_dev_fuse $t/nofuse-demo.AppImage nofuse" 2>"$t/err")
sn_assert_eq "Hello, nofuse!" "$out" "demo bundle by extraction without /nix"
sn_assert_eq 1 "$(grep -c 'FUSE unavailable' "$t/err")" "said once"
sn_assert_eq "" "$(find /tmp -maxdepth 1 \( -name '.mount_N.App*' -o -name '.mount_nofuse*' \))" \
    "no .mount_* directory left"
echo ok
