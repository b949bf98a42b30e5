#!/usr/bin/env bash
# The runtime runs any AppDir image in each of its three ways (root: kernel squashfs in a private
# namespace; user: FUSE; user without FUSE: extraction), sets APPIMAGE/APPDIR/ARGV0/OWD, passes
# arguments untouched, and reports the program's exit status and death by signal as its own.
. "$(dirname "$0")/lib.sh"
sn_require_root
sn_allow_user_fuse

t=$(sn_tmpdir)
sn_runtime_shell_appdir "$t/app" >/dev/null
sn_mksquashfs_appimage "$t/app" "$t/Shell.AppImage" "$SN_BUILD/runtime"
user=$(sn_test_user)
mkdir "$t/cache" && chown "$user" "$t/cache"

# Runs a command as root where loop devices cannot be had, as in a container: FUSE, mounted by
# root with mount(2), in that mount namespace.
no_loop() { unshare --mount --propagation private -- sh -c 'mount --bind /dev/null /dev/loop-control && exec "$@"' sh "$@"; }

# Runs the bundle in MODE (root | rootfuse | fuse | extract) with ARGS; sets out and rc.
run_mode() { # MODE ARGS...
    local mode=$1
    shift
    set +e
    case $mode in
    root) out=$(cd "$t" && ./Shell.AppImage "$@" 2>"$t/err") ;;
    rootfuse) out=$(cd "$t" && no_loop ./Shell.AppImage "$@" 2>"$t/err") ;;
    fuse) out=$(cd "$t" && sn_as_user ./Shell.AppImage "$@" 2>"$t/err") ;;
    extract) out=$(cd "$t" && sn_as_user env XDG_CACHE_HOME="$t/cache" APPIMAGE_EXTRACT_AND_RUN=1 ./Shell.AppImage "$@" 2>"$t/err") ;;
    esac
    rc=$?
    set -e
}

for mode in root rootfuse fuse extract; do
    sn_log "mode $mode"
    run_mode $mode a "b c" --appimage-offset ""
    sn_assert_eq 0 "$rc" "$mode: exit status of a successful run (stderr: $(cat "$t/err"))"
    sn_assert_contains "$out" "APPIMAGE=$t/Shell.AppImage" "$mode: APPIMAGE"
    sn_assert_contains "$out" "ARGV0=./Shell.AppImage" "$mode: ARGV0"
    sn_assert_contains "$out" "OWD=$t" "$mode: OWD"
    sn_assert_contains "$out" $'arg=a\narg=b c\narg=--appimage-offset\narg=' "$mode: arguments untouched"
    appdir=$(sed -n 's/^APPDIR=//p' <<<"$out")
    case $mode in
    root) sn_assert_contains "$appdir" /run/squashnix/ "root: kernel mount in the private namespace" ;;
    fuse | rootfuse) sn_assert_contains "$appdir" "/tmp/.mount_Shell." "$mode: mount point" ;;
    extract) sn_assert_contains "$appdir" "$t/cache/squashnix/" "extract: cache" ;;
    esac
    for status in 0 3 255; do
        run_mode $mode exit $status
        sn_assert_eq "$status" "$rc" "$mode: exit status $status passed through"
    done
    run_mode $mode kill KILL
    sn_assert_eq 137 "$rc" "$mode: program killed by SIGKILL"
    run_mode $mode kill TERM
    sn_assert_eq 143 "$rc" "$mode: program killed by SIGTERM"
    [ ! -s "$t/err" ] || sn_fail "$mode: unexpected messages on stderr: $(cat "$t/err")"

    # SIGTERM sent to the launcher reaches the program (it traps it, writes a file, exits 7).
    rm -f "$t/term"
    case $mode in
    root) (cd "$t" && exec ./Shell.AppImage trap "$t/term" >"$t/out") & ;;
    rootfuse) (cd "$t" && exec unshare --mount --propagation private -- sh -c \
        'mount --bind /dev/null /dev/loop-control && exec "$@"' sh ./Shell.AppImage trap "$t/term" >"$t/out") & ;;
    fuse) (cd "$t" && exec setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user" ./Shell.AppImage trap "$t/term" >"$t/out") & ;;
    extract) (cd "$t" && XDG_CACHE_HOME="$t/cache" APPIMAGE_EXTRACT_AND_RUN=1 exec setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user" ./Shell.AppImage trap "$t/term" >"$t/out") & ;;
    esac
    pid=$!
    chmod 0777 "$t"
    for _ in $(seq 100); do grep -q ready "$t/out" 2>/dev/null && break; sleep 0.05; done
    grep -q ready "$t/out" || sn_fail "$mode: the program did not start"
    kill -TERM $pid
    set +e
    wait $pid
    rc=$?
    set -e
    sn_assert_eq 7 "$rc" "$mode: the program's status after SIGTERM to the launcher"
    sn_assert_eq term "$(cat "$t/term")" "$mode: the program received SIGTERM"
    chmod 0755 "$t"
done

sn_log "every signal a terminal or a supervisor sends reaches the program (FUSE and root)"
chmod 0777 "$t"
for who in user root; do
    for sig in INT TERM HUP QUIT USR1 USR2 WINCH; do
        rm -f "$t/sig" "$t/out"
        as=()
        [ $who = root ] || as=(setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user")
        # (--default-signal: a shell starts background jobs with INT and QUIT ignored.)
        (cd "$t" && exec env --default-signal=INT,QUIT "${as[@]}" ./Shell.AppImage trap "$t/sig" $sig >"$t/out") &
        pid=$!
        for _ in $(seq 100); do grep -q ready "$t/out" 2>/dev/null && break; sleep 0.05; done
        kill -$sig $pid
        set +e
        wait $pid
        rc=$?
        set -e
        sn_assert_eq 7 "$rc" "$who: the program's status after SIG$sig to the launcher"
        sn_assert_eq "$(tr A-Z a-z <<<"$sig")" "$(cat "$t/sig" 2>/dev/null)" "$who: the program got SIG$sig"
    done
done
chmod 0755 "$t"

sn_log "a bundle started by a bundle, as root: both images stay visible to their programs"
cp "$t/Shell.AppImage" "$t/Inner.AppImage"
run_mode root nest "$t/Inner.AppImage"
sn_assert_eq 0 "$rc" "nested run (stderr: $(cat "$t/err"))"
sn_assert_eq 2 "$(grep -c "^hello from the image" <<<"$out")" \
    "the outer image, seen by the inner bundle's program and after it ran: $out"

# Nothing stays mounted, and FUSE mount points are gone (the server cleans up asynchronously).
for _ in $(seq 100); do
    [ -z "$(find /tmp -maxdepth 1 -name '.mount_Shell*')" ] && break
    sleep 0.05
done
sn_assert_eq "" "$(find /tmp -maxdepth 1 -name '.mount_Shell*')" "no .mount_* directory left"
sn_assert_eq "" "$(grep -e '/tmp/\.mount_Shell' -e ' /run/squashnix' /proc/self/mountinfo || true)" \
    "no mount left (ours only: other tests mount meanwhile)"
echo "ok"
