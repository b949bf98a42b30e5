#!/usr/bin/env bash
# 20 concurrent launches of one bundle all succeed, in FUSE mode and in extraction mode (racing on
# a cold cache: one extracts, the others wait and reuse it); afterwards one complete cache tree,
# no temporary tree, no mount and no .mount_* directory remain.
. "$(dirname "$0")/lib.sh"
sn_require_root
sn_allow_user_fuse

t=$(sn_tmpdir)
chmod 0777 "$t"
user=$(sn_test_user)
mkdir "$t/cache" && chown "$user" "$t/cache"
sn_runtime_shell_appdir "$t/app" >/dev/null
head -c 2000000 /dev/urandom >"$t/app/usr/share/doc/bulk" # so that extraction takes a while
sn_mksquashfs_appimage "$t/app" "$t/C.AppImage" "$SN_BUILD/runtime"

as=(setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user" XDG_CACHE_HOME="$t/cache")

launch_20() { # ENV...
    local pids=() i
    for i in $(seq 20); do
        setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user" \
            XDG_CACHE_HOME="$t/cache" "$@" "$t/C.AppImage" run$i >"$t/out.$i" 2>&1 &
        pids+=($!)
    done
    for i in $(seq 20); do
        wait "${pids[$((i - 1))]}" || sn_fail "launch $i failed: $(cat "$t/out.$i")"
        grep -qx "arg=run$i" "$t/out.$i" || sn_fail "launch $i: wrong output: $(cat "$t/out.$i")"
    done
}

sn_log "FUSE"
launch_20 env
grep -h '^APPDIR=' "$t"/out.* | grep -vq '/\.mount_C\.AppI' && sn_fail "not all in FUSE mode"
sn_log "extraction, cold cache"
launch_20 env APPIMAGE_EXTRACT_AND_RUN=1
sn_assert_eq 1 "$(grep -h '^APPDIR=' "$t"/out.* | sort -u | wc -l)" "all ran from the same tree"
sn_assert_eq 1 "$(find "$t/cache/squashnix" -mindepth 1 -maxdepth 1 -type d | wc -l)" \
    "one cache tree, no temporary tree left"
cmp "$t/app/usr/share/doc/bulk" "$t/cache/squashnix/"*/usr/share/doc/bulk || sn_fail "cache tree content"

sn_log "a planted tree (a symlink) and a half-extracted one are never used"
key=$(basename "$(find "$t/cache/squashnix" -mindepth 1 -maxdepth 1 -type d)")
mkdir -p "$t/planted" && printf '#!/bin/sh\necho PLANTED\n' >"$t/planted/AppRun" && chmod 0755 "$t/planted/AppRun"
rm -rf "$t/cache/squashnix/$key"
ln -s "$t/planted" "$t/cache/squashnix/$key"
mkdir "$t/cache/squashnix/.tmp-$key-Killed" && touch "$t/cache/squashnix/.tmp-$key-Killed/AppRun"
chown -h -R "$user" "$t/cache"
out=$("${as[@]}" env APPIMAGE_EXTRACT_AND_RUN=1 "$t/C.AppImage" again 2>&1)
sn_assert_contains "$out" "arg=again" "ran from a fresh extraction"
[ -d "$t/cache/squashnix/$key" ] && [ ! -L "$t/cache/squashnix/$key" ] || sn_fail "the planted symlink is still there"
sn_assert_eq "" "$(find "$t/cache/squashnix" -name '.tmp-*')" "the half-extracted tree was removed"
chmod 0755 "$t/cache/squashnix"
set +e
err=$("${as[@]}" env APPIMAGE_EXTRACT_AND_RUN=1 "$t/C.AppImage" 2>&1 >/dev/null)
rc=$?
set -e
sn_assert_eq 127 "$rc" "a cache directory open to others is refused"
sn_assert_contains "$err" "chmod 700 $t/cache/squashnix" "and the message says what to do"

for _ in $(seq 100); do
    [ -z "$(find /tmp -maxdepth 1 -name '.mount_C.AppI*')" ] && break
    sleep 0.05
done
sn_assert_eq "" "$(find /tmp -maxdepth 1 -name '.mount_C.AppI*')" "no .mount_* directory left"
sn_assert_eq "" "$(grep '/tmp/\.mount_C\.AppI' /proc/self/mountinfo || true)" "no mount left"
echo ok
