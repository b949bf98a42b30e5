#!/usr/bin/env bash
# Soak: a bundle built by squashnix (the tools fixture) launched SOAK_SEQ times in a row (default
# 50) and SOAK_PAR times at once (default 10) in each mode: root (kernel squashfs on a loop
# device), root with loop devices hidden (FUSE), root and user by extraction, user with FUSE.
# `make soak` runs 500 and 50. Every launch must succeed with the program's output; afterwards
# no mount refers to the test's directories, no `.mount_*` or temporary directory remains in
# TMPDIR or the cache, no loop device is attached to the bundle, and no process of the run is left.
# The host store is ignored (SQUASHNIX_NO_HOST_STORE=1) so that every launch makes its namespaces.
. "$(dirname "$0")/lib.sh"
sn_require_root
sn_allow_user_fuse

seq_n=${SOAK_SEQ:-50}
par_n=${SOAK_PAR:-10}
t=$(sn_tmpdir)
user=$(sn_test_user)
tools=$(sn_fixture_tools)
"$SN_BUILD/squashnix" -q --runtime "$SN_BUILD/runtime" --entry "$SN_BUILD/AppRun" \
    -o "$t/Tools.AppImage" "$tools"
mkdir -m 1777 "$t/tmp"
mkdir "$t/cache-root" "$t/cache-user"
chown "$user" "$t/cache-user"

# One launch in MODE; prints the program's output.
launch() { # MODE
    local common=(SQUASHNIX_NO_HOST_STORE=1 TMPDIR="$t/tmp")
    case $1 in
    root-kernel) env "${common[@]}" "$t/Tools.AppImage" echo soak ;;
    root-fuse)
        unshare --mount --propagation private -- sh -c \
            'mount --bind /dev/null /dev/loop-control && exec "$@"' sh \
            env "${common[@]}" "$t/Tools.AppImage" echo soak ;;
    root-extract) env "${common[@]}" XDG_CACHE_HOME="$t/cache-root" APPIMAGE_EXTRACT_AND_RUN=1 \
        "$t/Tools.AppImage" echo soak ;;
    user-fuse) sn_as_user env "${common[@]}" "$t/Tools.AppImage" echo soak ;;
    user-extract) sn_as_user env "${common[@]}" XDG_CACHE_HOME="$t/cache-user" \
        APPIMAGE_EXTRACT_AND_RUN=1 "$t/Tools.AppImage" echo soak ;;
    esac
}

leftovers() { # WHAT
    local m
    m=$(grep -F "$t" /proc/self/mountinfo || true)
    [ -z "$m" ] || sn_fail "$1: mounts left: $m"
    sn_assert_eq "" "$(ls -A "$t/tmp")" "$1: TMPDIR content"
    sn_assert_eq "" "$(find "$t/cache-root" "$t/cache-user" -maxdepth 2 -name '.tmp-*')" "$1: temporary trees in the cache"
    sn_assert_eq "" "$(losetup -j "$t/Tools.AppImage")" "$1: loop devices attached to the bundle"
    sn_assert_eq "" "$(pgrep -f "$t/" || true)" "$1: processes left"
}

for mode in root-kernel root-fuse root-extract user-fuse user-extract; do
    start=$(date +%s%N)
    for i in $(seq "$seq_n"); do
        out=$(launch $mode 2>&1) || sn_fail "$mode: sequential launch $i failed: $out"
        [ "$out" = soak ] || sn_fail "$mode: sequential launch $i printed: $out"
    done
    seq_ms=$((($(date +%s%N) - start) / 1000000))
    pids=()
    for i in $(seq "$par_n"); do
        launch $mode >"$t/par.$i" 2>&1 &
        pids+=($!)
    done
    for i in $(seq "$par_n"); do
        wait "${pids[i - 1]}" || sn_fail "$mode: concurrent launch $i failed: $(cat "$t/par.$i")"
        [ "$(cat "$t/par.$i")" = soak ] || sn_fail "$mode: concurrent launch $i printed: $(cat "$t/par.$i")"
    done
    rm -f "$t"/par.*
    leftovers "$mode"
    sn_log "$mode: $seq_n sequential ($((seq_ms / seq_n)) ms each) and $par_n concurrent launches, nothing left"
done
echo ok
