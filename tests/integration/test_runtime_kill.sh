#!/usr/bin/env bash
# However a run ends, no mount and no $TMPDIR/.mount_* directory remains: 50 runs in which the
# program is SIGKILLed at a random moment, 50 in which the launcher is (before or after it became
# the program), 20 in which the whole process group is, as an unprivileged user (FUSE) and as root
# (kernel mount in a private namespace); and the mount stays usable for a descendant that outlives
# the program, then goes.
. "$(dirname "$0")/lib.sh"
sn_require_root
sn_allow_user_fuse

t=$(sn_tmpdir)
chmod 0777 "$t"
sn_runtime_shell_appdir "$t/app" >/dev/null
sn_mksquashfs_appimage "$t/app" "$t/Kill.AppImage" "$SN_BUILD/runtime"
user=$(sn_test_user)
# Ours only: other tests may mount and unmount meanwhile. (As root the mount is in a private
# namespace and never appears here: that is checked too.)
our_mounts() { grep -e '/tmp/\.mount_Kill' -e "$t/Kill.AppImage" -e ' /run/squashnix' /proc/self/mountinfo || true; }

# Starts the bundle in a new session (its own process group) as WHO (user | root); sets pid.
start() { # WHO OUT ARGS...
    local who=$1 out=$2
    shift 2
    if [ "$who" = user ]; then
        (exec setsid setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user" \
            "$t/Kill.AppImage" "$@" >"$out" 2>&1) &
    else
        (exec setsid "$t/Kill.AppImage" "$@" >"$out" 2>&1) &
    fi
    pid=$!
}

mount_dirs() { find /tmp -maxdepth 1 -name '.mount_Kill*'; }

random_sleep() { sleep "0.0$((RANDOM % 6))$((RANDOM % 10))"; }

# Waits until nothing of ours is mounted or left in /tmp, for up to 10 s.
settled() {
    for _ in $(seq 200); do
        if [ -z "$(mount_dirs)" ] &&
            [ -z "$(our_mounts)" ]; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# 50 (program), 50 (launcher), 20 (process group) runs as WHO; 10, 10, 5 as root, whose kernel
# mount needs no cleanup by design. bash reports each killed job on stderr: the caller silences it.
kill_runs() { # WHO
    local who=$1 n1=50 n2=50 n3=20 i
    [ "$who" = user ] || { n1=10 n2=10 n3=5; }
    for i in $(seq $n1); do # the program: the AppRun shell (the launcher became it) and its child
        start "$who" "$t/out" sleep 5
        for _ in $(seq 200); do grep -q '^APPDIR=' "$t/out" && break; sleep 0.01; done
        random_sleep
        pkill -KILL -s "$pid" || true
        wait "$pid" || true
    done
    for i in $(seq $n2); do # the launcher, at a random moment: before or after it became the program
        start "$who" "$t/out" sleep 5
        random_sleep
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" || true
        pkill -KILL -s "$pid" || true # its orphaned sleep, if it got that far
    done
    for i in $(seq $n3); do # the whole process group, as a shell's job control does
        start "$who" "$t/out" sleep 5
        random_sleep
        kill -KILL -- "-$pid" 2>/dev/null || true
        wait "$pid" || true
    done
}

for who in user root; do
    sn_log "$who: program, launcher, process group SIGKILLed at random moments"
    kill_runs $who 2>/dev/null
    settled || sn_fail "$who: left behind: $(mount_dirs) $(our_mounts)"
done
sn_log "a killed FUSE server leaves no 'Transport endpoint is not connected' directory behind"
start user "$t/out" sleep 30
for _ in $(seq 500); do grep -q '^APPDIR=' "$t/out" && break; sleep 0.02; done
dead=$(sed -n 's/^APPDIR=//p' "$t/out")
[ -n "$dead" ] || sn_fail "the program did not start: $(cat "$t/out")"
server=$(pgrep -u "$user" -f "^$t/Kill.AppImage sleep 30") || sn_fail "no FUSE server process: $(ps -ef | grep Kill)"
kill -KILL "$server"
pkill -KILL -s "$pid" || true
{ wait "$pid"; } 2>/dev/null || true
set +e # (as the user: root is refused stat on a user's FUSE mount)
sn_as_user stat "$dead" >/dev/null 2>"$t/stat"
set -e
sn_assert_contains "$(cat "$t/stat")" "Transport endpoint is not connected" "the dead mount"
sn_as_user "$t/Kill.AppImage" exit 0 >/dev/null # the next run removes it
settled || sn_fail "the dead mount was not removed by the next run: $(mount_dirs) $(our_mounts)"

sn_assert_eq "" "$(losetup -j "$t/Kill.AppImage")" "no loop device left attached to the bundle"

sn_log "a descendant outlives the program and keeps using the image"
start user "$t/out" bg "$t/bg"
wait "$pid"
sleep 0.3
[ -n "$(mount_dirs)" ] || sn_fail "the mount went away while a descendant used it: $(cat "$t/out"; ps -ef | grep -e Kill -e "sleep 1")"
for _ in $(seq 60); do [ -s "$t/bg" ] && break; sleep 0.05; done
sn_assert_eq "hello from the image" "$(cat "$t/bg" 2>/dev/null)" "the descendant read the image"
settled || sn_fail "left behind after the descendant exited: $(mount_dirs)"
echo ok
