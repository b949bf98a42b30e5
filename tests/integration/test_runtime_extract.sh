#!/usr/bin/env bash
# --appimage-extract [PATTERN] writes ./squashfs-root/ as unsquashfs does (contents, modes,
# symlinks, hard links), matches PATTERN as type2-runtime does, works for an unprivileged user,
# and never writes outside squashfs-root, even through a symlink planted there.
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
user=$(sn_test_user)
sn_runtime_shell_appdir "$t/app" >/dev/null
mkdir -p "$t/app/usr/lib/deep/er"
head -c 300000 /dev/urandom >"$t/app/usr/lib/deep/er/big.bin" # several blocks
chmod 0640 "$t/app/usr/lib/deep/er/big.bin"
chmod 0555 "$t/app/usr/lib/deep"                               # read-only directory
ln -s /etc/passwd "$t/app/usr/lib/abs-link"                   # absolute symlink, kept as is
sn_mksquashfs_appimage "$t/app" "$t/E.AppImage" "$SN_BUILD/runtime"
offset=$("$t/E.AppImage" --appimage-offset)

# A listing that shows what extraction must keep: type, mode, size, link target, per path.
listing() { (cd "$1" && find . -printf '%P %y %m %s %l\n' | sort); }

mkdir "$t/ref" "$t/x"
tail -c +$((offset + 1)) "$t/E.AppImage" >"$t/img.sqfs"
unsquashfs -q -no-xattrs -d "$t/ref/squashfs-root" "$t/img.sqfs" >/dev/null
(cd "$t/x" && "$t/E.AppImage" --appimage-extract)
sn_assert_eq "$(listing "$t/ref/squashfs-root")" "$(listing "$t/x/squashfs-root")" "tree like unsquashfs -d"
diff -r --no-dereference "$t/ref/squashfs-root" "$t/x/squashfs-root" || sn_fail "contents differ"
sn_assert_eq "$(stat -c %i "$t/x/squashfs-root/usr/share/doc/f")" \
    "$(stat -c %i "$t/x/squashfs-root/usr/share/doc/hard")" "hard link kept"

sn_log "as a user, twice (the second run replaces what the first wrote)"
mkdir "$t/u" && chown "$user" "$t/u"
(cd "$t/u" && sn_as_user "$t/E.AppImage" --appimage-extract && sn_as_user "$t/E.AppImage" --appimage-extract)
sn_assert_eq "$(listing "$t/ref/squashfs-root")" "$(listing "$t/u/squashfs-root")" "user extraction"
chmod -R u+w "$t/u" "$t/x" "$t/ref"

sn_log "PATTERN"
mkdir "$t/p"
(cd "$t/p" && "$t/E.AppImage" --appimage-extract 'usr/share/*')
sn_assert_eq "$(printf '%s\n' usr usr/share usr/share/doc usr/share/doc/f usr/share/doc/hard)" \
    "$(cd "$t/p/squashfs-root" && find . -mindepth 1 -printf '%P\n' | sort)" "only what matches usr/share/*"
mkdir "$t/p2"
(cd "$t/p2" && "$t/E.AppImage" --appimage-extract AppRun)
sn_assert_eq AppRun "$(cd "$t/p2/squashfs-root" && find . -mindepth 1 -printf '%P\n')" "a single file"

sn_log "a symlink planted in squashfs-root is not followed"
mkdir -p "$t/evil/squashfs-root" "$t/outside"
ln -s "$t/outside" "$t/evil/squashfs-root/usr"
set +e
err=$(cd "$t/evil" && "$t/E.AppImage" --appimage-extract 2>&1)
rc=$?
set -e
sn_assert_eq 127 "$rc" "extraction through a planted symlink fails"
sn_assert_contains "$err" "usr" "the message names the path"
sn_assert_eq "" "$(ls -A "$t/outside")" "nothing written outside squashfs-root"
sn_log "an image naming an entry \"..\": refused, and nothing left behind"
mkdir -p "$t/hsrc/d" "$t/h"
echo x >"$t/hsrc/d/a-file" && echo y >"$t/hsrc/d/QQ"
mksquashfs "$t/hsrc" "$t/h.sqfs" -noI -noD -noF -noX -noappend -quiet -all-root >/dev/null
perl -pi -e 's|QQ|..|' "$t/h.sqfs" # uncompressed directory table: the name is there as is
cat "$SN_BUILD/runtime" "$t/h.sqfs" >"$t/H.AppImage" && chmod 0755 "$t/H.AppImage"
set +e
err=$(cd "$t/h" && "$t/H.AppImage" --appimage-extract 2>&1)
rc=$?
set -e
sn_assert_eq 127 "$rc" "hostile name: exit status"
sn_assert_contains "$err" 'unsafe name ".."' "hostile name: the message"
sn_assert_eq "" "$(ls -A "$t/h")" "hostile name: no squashfs-root left, nothing beside it"
echo ok
