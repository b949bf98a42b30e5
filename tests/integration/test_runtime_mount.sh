#!/usr/bin/env bash
# --appimage-mount prints a usable mount point (as a user, through fusermount3, and as root), stays
# until SIGTERM (or SIGINT), and then the mount and its directory go away.
. "$(dirname "$0")/lib.sh"
sn_require_root
sn_allow_user_fuse

t=$(sn_tmpdir)
chmod 0777 "$t"
user=$(sn_test_user)
sn_runtime_shell_appdir "$t/app" >/dev/null
sn_mksquashfs_appimage "$t/app" "$t/M.AppImage" "$SN_BUILD/runtime"

for who in user root; do
    for sig in TERM INT; do
        sn_log "$who, SIG$sig"
        rm -f "$t/out"
        if [ $who = user ]; then
            setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user" \
                TMPDIR="$t" "$t/M.AppImage" --appimage-mount >"$t/out" &
        else
            TMPDIR=$t "$t/M.AppImage" --appimage-mount >"$t/out" &
        fi
        pid=$!
        for _ in $(seq 100); do [ -s "$t/out" ] && break; sleep 0.05; done
        dir=$(cat "$t/out")
        sn_assert_contains "$dir" "$t/.mount_M.AppI" "$who: mount point under \$TMPDIR"
        as=()
        [ $who = root ] || as=(setpriv --reuid="$user" --regid=sntestg --init-groups) # FUSE: the owner only
        sn_assert_eq "hello from the image" "$("${as[@]}" cat "$dir/usr/share/doc/f")" "$who: read through the mount"
        sn_assert_eq "hello from the image" "$("${as[@]}" cat "$dir/usr/bin/link")" "$who: symlink through the mount"
        grep -q " $dir " /proc/self/mountinfo || sn_fail "$who: not in the mount table"
        kill -$sig $pid
        wait $pid || sn_fail "$who: --appimage-mount exited with $? after SIG$sig"
        # (Not test -e: root is refused stat on a user's FUSE mount, which would look like "gone".)
        gone() { ! grep -q " $dir " /proc/self/mountinfo && [ -z "$(find "$t" -maxdepth 1 -name '.mount_*')" ]; }
        for _ in $(seq 100); do gone && break; sleep 0.05; done
        grep -q " $dir " /proc/self/mountinfo && sn_fail "$who: still mounted after SIG$sig"
        [ -z "$(find "$t" -maxdepth 1 -name '.mount_*')" ] || sn_fail "$who: $dir left after SIG$sig"
    done
done
echo ok
