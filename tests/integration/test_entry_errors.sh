#!/usr/bin/env bash
# Entry failures: with user namespaces disabled (user.max_user_namespaces=0, set in a user namespace
# made for the test: the kernel applies it to every namespace below, and the host's setting, which
# root here may not change anyway, stays untouched) the error names the setting and what works,
# exit 127, and root still runs; a broken bundle (no closure list, a bad
# line, an entrypoint outside the store, a missing program) gives exit 127 and a message naming the
# file; nothing of the test is left mounted. Also: a stale APPDIR from another bundle does not mislead it.
. "$(dirname "$0")/lib.sh"
sn_require_root

tmp=$(sn_tmpdir)
tools=$(sn_fixture_tools)
demo=$(sn_fixture_demo)
sn_appdir_from_closure "$tmp/tools" "$tools" bin/busybox >/dev/null
sn_appdir_from_closure "$tmp/demo" "$demo" bin/demo-hello >/dev/null

expect_failure() { # WHAT EXPECTED_STDERR_PART APPDIR ARGS... (as the user, without Nix)
    local what=$1 needle=$2 appdir=$3 rc=0
    shift 3
    sn_without_nix --user env APPDIR="$appdir" "$appdir/AppRun" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    sn_assert_eq 127 "$rc" "$what: exit status"
    sn_assert_contains "$(cat "$tmp/err")" "$needle" "$what: message"
    [ ! -s "$tmp/out" ] || sn_fail "$what: wrote to stdout: $(cat "$tmp/out")"
}

sn_log "user namespaces disabled: the documented error, exit 127"
# In the test's user namespace: limit 0, an empty /nix, then the entry as the test user or as root.
no_userns() { # AS(user|root) APPDIR ARGS...
    local as=$1 appdir=$2
    shift 2
    local run=(env APPDIR="$appdir" "$appdir/AppRun" "$@")
    [ "$as" = root ] || run=(setpriv --reuid=2001 --regid="$SN_TEST_GROUP" --init-groups --reset-env -- "${run[@]}")
    sn_userns_root sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && mount --make-rprivate / &&
        mount -t tmpfs -o mode=0755 none /nix && exec "$@"' sh "${run[@]}"
}
sn_test_user >/dev/null
rc=0
no_userns user "$tmp/demo" x >"$tmp/out" 2>"$tmp/err" || rc=$?
sn_assert_eq 127 "$rc" "userns denied: exit status"
err=$(cat "$tmp/err")
sn_assert_contains "$err" "squashnix: AppRun: unshare(CLONE_NEWUSER | CLONE_NEWNS) failed" "userns denied"
sn_assert_contains "$err" "does not let unprivileged users create a user namespace" "userns denied"
sn_assert_contains "$err" "user.max_user_namespaces = 0, refuses" "userns denied: the setting"
sn_assert_contains "$err" "run the bundle as root" "userns denied: what works"
sn_assert_contains "$err" "copy the bundle's closure into /nix/store" "userns denied: what works"
sn_assert_contains "$err" "--appimage-extract) does not avoid this" "userns denied: extraction"
[ ! -s "$tmp/out" ] || sn_fail "userns denied: wrote to stdout"
sn_log "  and root, which needs no user namespace, still runs it"
sn_assert_eq "Hello, root!" "$(no_userns root "$tmp/demo" root)" "as root with user namespaces disabled"

sn_log "a bundle without its closure list"
cp -a "$tmp/demo" "$tmp/noclosure"
rm "$tmp/noclosure/.squashnix/closure"
expect_failure "no closure" "cannot open $tmp/noclosure/.squashnix/closure (is this a squashnix bundle?)" "$tmp/noclosure"

sn_log "a closure list with a line that is not a store path"
cp -a "$tmp/demo" "$tmp/badline"
printf '/etc/passwd\n' >>"$tmp/badline/.squashnix/closure"
expect_failure "bad line" "$tmp/badline/.squashnix/closure: line 4 is not a store path /nix/store/HASH-NAME: /etc/passwd" "$tmp/badline"

sn_log "an entrypoint outside the store"
cp -a "$tmp/demo" "$tmp/outside"
ln -sfn /bin/sh "$tmp/outside/entrypoint"
expect_failure "entrypoint" "$tmp/outside/entrypoint: target /bin/sh is not under /nix/store" "$tmp/outside"

sn_log "an entrypoint naming a program the bundle lacks"
cp -a "$tmp/demo" "$tmp/noprog"
ln -sfn "$demo/bin/missing" "$tmp/noprog/entrypoint"
expect_failure "missing program" "cannot execute /entrypoint: No such file or directory" "$tmp/noprog"

sn_log "no mountroot directory in the bundle"
cp -a "$tmp/demo" "$tmp/nomountroot"
rmdir "$tmp/nomountroot/mountroot"
ln -s /tmp "$tmp/nomountroot/mountroot"
expect_failure "mountroot symlink" "cannot open the directory $tmp/nomountroot/mountroot" "$tmp/nomountroot"

sn_log "a stale APPDIR naming another bundle is ignored"
out=$(sn_without_nix --user env APPDIR="$tmp/demo" "$tmp/tools/AppRun" echo tools)
sn_assert_eq "tools" "$out" "the bundle of the executable runs"

# (this machine's table is shared with whatever else runs; none of its mounts may be this test's)
! grep -qF "$tmp" /proc/self/mountinfo || sn_fail "a mount is left after the failures: $(grep -F "$tmp" /proc/self/mountinfo)"
echo "test_entry_errors: ok"
