#!/usr/bin/env bash
# End to end: a bundle built by squashnix from the demo closure, with this runtime and the entry,
# runs as root and as an unprivileged user on a host without /nix (kernel, FUSE and extraction
# paths), leaves the host's mount table as it was (host-like shared /), and its --appimage-offset
# and --appimage-updateinfo agree with the bundler's.
. "$(dirname "$0")/lib.sh"
sn_require_root
sn_allow_user_fuse

t=$(sn_tmpdir)
user=$(sn_test_user)
mkdir "$t/cache" && chown "$user" "$t/cache" # the user's cache, not shared with other tests
demo=$(sn_fixture_demo)
"$SN_BUILD/squashnix" -q --runtime "$SN_BUILD/runtime" --entry "$SN_BUILD/AppRun" \
    --update-info 'zsync|https://example.org/demo.zsync' -o "$t/demo.AppImage" "$demo"

info=$("$SN_BUILD/squashnix" inspect "$t/demo.AppImage")
sn_assert_eq "$(sed -n 's/^offset: *//p' <<<"$info")" "$("$t/demo.AppImage" --appimage-offset)" \
    "--appimage-offset matches squashnix inspect"
sn_assert_eq "$(stat -c %s "$SN_BUILD/runtime")" "$("$t/demo.AppImage" --appimage-offset)" \
    "--appimage-offset is the runtime's size"
sn_assert_eq 'zsync|https://example.org/demo.zsync' "$("$t/demo.AppImage" --appimage-updateinfo)" \
    "--appimage-updateinfo"

sn_log "root, host without /nix, host-like shared /"
before=$(sn_hostlike sh -c 'cat /proc/self/mountinfo | cut -d" " -f5,9 | sort | md5sum; '"'$t/demo.AppImage'"' Nix; cat /proc/self/mountinfo | cut -d" " -f5,9 | sort | md5sum')
sn_assert_eq 1 "$(grep -c 'Hello, Nix!' <<<"$before")" "root run output: $before"
sn_assert_eq "$(sed -n 1p <<<"$before")" "$(sed -n 3p <<<"$before")" "mount table unchanged after a root run"
out=$(sn_without_nix "$t/demo.AppImage" root 2>&1)
sn_assert_eq "Hello, root!" "$out" "root run without /nix"

sn_log "user, host without /nix: FUSE"
out=$(cd "$t" && sn_without_nix --user "$t/demo.AppImage" user 2>&1)
sn_assert_eq "Hello, user!" "$out" "user run (FUSE) without /nix"

sn_log "user, host without /nix: extraction"
out=$(cd "$t" && sn_without_nix --user env XDG_CACHE_HOME="$t/cache" APPIMAGE_EXTRACT_AND_RUN=1 "$t/demo.AppImage" cache 2>&1)
sn_assert_eq "Hello, cache!" "$out" "user run (extraction) without /nix"
out=$(cd "$t" && sn_without_nix --user env XDG_CACHE_HOME="$t/cache" "$t/demo.AppImage" --appimage-extract-and-run warm 2>&1)
sn_assert_eq "Hello, warm!" "$out" "user run (warm extraction cache) without /nix"
sn_assert_eq 1 "$(find "$t/cache/squashnix" -mindepth 1 -maxdepth 1 -type d | wc -l)" \
    "one cache tree, reused"
sn_assert_eq 700 "$(stat -c %a "$t/cache/squashnix")" "cache directory mode"
echo ok
