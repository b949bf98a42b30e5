#!/usr/bin/env bash
# The entry as an unprivileged user on a machine without Nix: the demo program runs from a plain
# directory and from a squashfuse mount the user owns; ids, arguments, stdin/stdout, exit status,
# signals (SIGTERM, and SIGINT from a terminal), the working directory and file descriptors pass
# through; nested user namespaces (unshare -Ur, bwrap) work inside.
. "$(dirname "$0")/lib.sh"
sn_require_root

tmp=$(sn_tmpdir)
user=$(sn_test_user)
tools=$(sn_fixture_tools)
demo=$(sn_fixture_demo)
sn_appdir_from_closure "$tmp/tools" "$tools" bin/busybox >/dev/null
sn_appdir_from_closure "$tmp/demo" "$demo" bin/demo-hello >/dev/null

# As the test user, in a mount namespace with an empty /nix (no exec in between: the background
# job's PID is the program's, which the signal tests rely on). Then: env APPDIR=... AppRun ARGS.
without_nix_as_user=(unshare --mount --propagation private -- sh -c
    'mount -t tmpfs -o mode=0755 none /nix && exec "$@"' sh
    setpriv --reuid="$user" --regid="$SN_TEST_GROUP" --init-groups --reset-env --
    env HOME="/home/$user" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin)
run() { # APPDIR ARGS...
    local appdir=$1
    shift
    "${without_nix_as_user[@]}" APPDIR="$appdir" "$appdir/AppRun" "$@"
}

sn_log "the demo program (dynamically linked, three store paths) runs from a directory"
sn_assert_eq "Hello, entry!" "$(run "$tmp/demo" entry)" "demo output"

sn_log "uid and gid inside are the user's; gid differs from uid"
sn_assert_eq "2001" "$(run "$tmp/tools" id -u)" "id -u"
sn_assert_eq "2345" "$(run "$tmp/tools" id -g)" "id -g"
sn_assert_eq "$(sn_as_user id -un)" "$(run "$tmp/tools" id -un)" "id -un"
# Only the caller's own gid can be mapped without privilege: the supplementary group shows as the
# overflow gid 65534, and it still grants access, as the kernel checks the real credentials.
sn_assert_eq "2345 65534" "$(run "$tmp/tools" id -G)" "id -G"
printf 'secret\n' >"$tmp/group-only"
chown root:"$SN_TEST_EXTRA_GROUP" "$tmp/group-only"
chmod 0640 "$tmp/group-only"
sn_assert_eq "secret" "$(run "$tmp/tools" cat "$tmp/group-only")" "file readable via group 2346"

sn_log "arguments with spaces, newlines and empty ones pass unchanged; argv[0] is the program"
out=$(run "$tmp/tools" sh -c 'for a; do printf "[%s]" "$a"; done' zero "a b" $'c\nd' "" '$HOME')
sn_assert_eq $'[a b][c\nd][][$HOME]' "$out" "arguments"
out=$(run "$tmp/tools" sh -c 'cat /proc/$$/cmdline | tr "\0" " "')
sn_assert_eq "$tools/bin/busybox sh -c cat /proc/\$\$/cmdline | tr \"\\0\" \" \" " "$out" "argv"

sn_log "stdin and stdout pass through (1 MiB, byte for byte)"
head -c 1048576 /dev/urandom >"$tmp/data"
sn_assert_eq "$(md5sum <"$tmp/data")" "$(run "$tmp/tools" md5sum <"$tmp/data")" "stdin to stdout"
run "$tmp/tools" cat <"$tmp/data" >"$tmp/data.out"
cmp -s "$tmp/data" "$tmp/data.out" || sn_fail "cat through the bundle changed the bytes"

sn_log "the environment passes unchanged"
sn_assert_eq "x y" "$("${without_nix_as_user[@]}" SN_PROBE="x y" APPDIR="$tmp/tools" \
    "$tmp/tools/AppRun" sh -c 'printf %s "$SN_PROBE"')" "environment"

sn_log "exit status 0, 3, 255"
for status in 0 3 255; do
    rc=0
    run "$tmp/tools" sh -c "exit $status" || rc=$?
    sn_assert_eq "$status" "$rc" "exit status"
done

sn_log "no file descriptor of the entry leaks into the program"
outside=$("${without_nix_as_user[@]}" ls /proc/self/fd | sort -n | tr '\n' ' ')
inside=$(run "$tmp/tools" ls /proc/self/fd | sort -n | tr '\n' ' ')
sn_assert_eq "$outside" "$inside" "open file descriptors"

sn_log "SIGTERM reaches the program, which keeps the PID it was started with"
"${without_nix_as_user[@]}" APPDIR="$tmp/tools" "$tmp/tools/AppRun" sh -c \
    'trap "echo got-TERM; exit 42" TERM; echo "ready $$"; while :; do sleep 0.1; done' \
    >"$tmp/term.out" 2>&1 &
pid=$!
for _ in $(seq 100); do
    grep -q ready "$tmp/term.out" && break
    sleep 0.1
done
sn_assert_eq "ready $pid" "$(head -n 1 "$tmp/term.out")" "program PID"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
sn_assert_eq 42 "$rc" "exit status after SIGTERM"
sn_assert_contains "$(cat "$tmp/term.out")" got-TERM "SIGTERM trap"

sn_log "SIGINT from a terminal (^C on a pty) reaches the program"
out=$(python3 - "${without_nix_as_user[@]}" APPDIR="$tmp/tools" "$tmp/tools/AppRun" sh -c \
    'trap "echo got-INT; exit 7" INT; echo ready; while :; do sleep 0.1; done' <<'PY'
import os, pty, select, signal, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
buf, deadline = b"", time.time() + 30


def read_some():
    """Reads what the pty has, waiting at most until the deadline; b"" at its end or EOF."""
    left = deadline - time.time()
    if left <= 0 or not select.select([fd], [], [], left)[0]:
        return b""
    try:
        return os.read(fd, 1024)
    except OSError:
        return b""


while b"ready" not in buf:
    chunk = read_some()
    if not chunk:
        break
    buf += chunk
os.write(fd, b"\x03")
while True:
    chunk = read_some()
    if not chunk:
        break
    buf += chunk
if time.time() >= deadline:
    os.kill(pid, signal.SIGKILL)  # a failure, not a hang: the output then lacks got-INT
_, status = os.waitpid(pid, 0)
print(buf.decode(errors="replace").replace("\r", "").strip().replace("\n", " "),
      os.waitstatus_to_exitcode(status))
PY
)
sn_assert_eq "ready ^Cgot-INT 7" "$out" "SIGINT from the terminal"

sn_log "the working directory is kept, or / with a warning where it does not exist inside"
mkdir "$tmp/work dir"
chmod 0755 "$tmp/work dir"
sn_assert_eq "$tmp/work dir" "$(cd "$tmp/work dir" && run "$tmp/tools" pwd)" "working directory"
# /nix/somewhere exists outside (in the namespace with the empty /nix) but not inside.
out=$(unshare --mount --propagation private -- sh -c 'mount -t tmpfs -o mode=0755 none /nix &&
    mkdir /nix/somewhere && cd /nix/somewhere && exec "$@"' sh \
    setpriv --reuid="$user" --regid="$SN_TEST_GROUP" --init-groups --reset-env -- \
    env APPDIR="$tmp/tools" "$tmp/tools/AppRun" pwd 2>"$tmp/cwd.err")
sn_assert_eq "/" "$out" "working directory fallback"
sn_assert_contains "$(cat "$tmp/cwd.err")" "warning: cannot return to the working directory /nix/somewhere" "warning"

sn_log "nested user namespaces work inside: the host's unshare -Ur and bwrap"
# (through sh: busybox would run its own applet for a bare first argument)
sn_assert_eq "0" "$(run "$tmp/tools" sh -c 'exec /usr/bin/unshare -Ur id -u')" "unshare -Ur inside"
run "$tmp/tools" sh -c 'exec /usr/bin/bwrap --ro-bind / / true' || sn_fail "bwrap inside the bundle failed"
out=$(run "$tmp/tools" sh -c "exec /usr/bin/bwrap --ro-bind / / --dev /dev $tools/bin/busybox echo in-bwrap")
sn_assert_eq "in-bwrap" "$out" "the bundle's store inside bwrap"

sn_log "from a squashfs image mounted read-only by the user with squashfuse"
sn_allow_user_fuse
sn_mksquashfs_appimage "$tmp/demo" "$tmp/demo.sqfs"
mkdir "$tmp/.mount_demoXX"
chown "$user" "$tmp/.mount_demoXX"
sn_as_user squashfuse "$tmp/demo.sqfs" "$tmp/.mount_demoXX" || sn_fail "squashfuse mount failed"
sn_cleanup_add "umount -l '$tmp/.mount_demoXX'"
sn_assert_eq "Hello, fuse!" "$(run "$tmp/.mount_demoXX" fuse)" "demo from the FUSE mount"
sn_assert_eq "Hello, noenv!" "$("${without_nix_as_user[@]}" "$tmp/.mount_demoXX/AppRun" noenv)" \
    "without APPDIR (from /proc/self/exe)"
sn_as_user fusermount3 -u "$tmp/.mount_demoXX" || sn_fail "fusermount3 -u failed: the entry left something busy"
echo "test_entry_user: ok"
