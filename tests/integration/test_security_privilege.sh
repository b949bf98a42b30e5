#!/usr/bin/env bash
# Privilege: a bundle grants nothing its caller did not have. As an unprivileged user (user
# namespace; FUSE and extraction modes): a setuid-root and a setgid-root file in the image run
# with the user's ids, and neither they, a shell, nor a nested `unshare -Ur` can write a
# root-owned host file or create a file in a root-owned directory. In every mode, root included,
# no descriptor of the runtime or the entry reaches the program (only 0, 1, 2 and those the caller
# passed), nor a child process it would have to reap. As root on a host-like shared /, the
# bundle's mounts never appear in the host's table, during the run or after.
. "$(dirname "$0")/lib.sh"
sn_require_root
sn_allow_user_fuse

t=$(sn_tmpdir)
user=$(sn_test_user)
tools=$(sn_fixture_tools)
mkdir "$t/cache" && chown "$user" "$t/cache"

# A probe that reports its ids and tries to append to a file; setuid and setgid root in the image.
cat >"$t/probe.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
int main(int argc, char **argv)
{
    printf("euid=%u egid=%u\n", (unsigned)geteuid(), (unsigned)getegid());
    if (argc > 1) {
        int fd = open(argv[1], O_WRONLY | O_APPEND);
        if (fd < 0 || write(fd, "pwned\n", 6) != 6) {
            perror("open for writing");
            return 1;
        }
    }
    return 0;
}
C
gcc -O2 -static -o "$t/probe" "$t/probe.c"
sn_appdir_from_closure "$t/app" "$tools" bin/busybox >/dev/null
bin=$t/app$tools/bin
install -o root -g root -m 4755 "$t/probe" "$bin/suid-probe"
install -o root -g root -m 2755 "$t/probe" "$bin/sgid-probe"
sn_mksquashfs_appimage "$t/app" "$t/Tools.AppImage" "$SN_BUILD/runtime"

printf 'original\n' >"$t/root-file"
chmod 0644 "$t/root-file"
mkdir -m 0755 "$t/root-dir"

# Runs the bundle as the user on a host without /nix in MODE (fuse | extract); sets out and rc.
run_user() { # MODE ARGS...
    local mode=$1 env=()
    shift
    [ "$mode" = extract ] && env=(XDG_CACHE_HOME="$t/cache" APPIMAGE_EXTRACT_AND_RUN=1)
    set +e
    out=$(cd "$t" && sn_without_nix --user env "${env[@]}" "$t/Tools.AppImage" "$@" 2>&1)
    rc=$?
    set -e
}

for mode in fuse extract; do
    sn_log "$mode: setuid and setgid root files in the image do not elevate"
    run_user $mode sh -c "$bin/suid-probe; $bin/sgid-probe"
    sn_assert_eq 0 "$rc" "$mode: probes ran ($out)"
    sn_assert_eq $'euid=2001 egid=2345\neuid=2001 egid=2345' "$out" "$mode: ids of setuid/setgid probes"

    sn_log "$mode: a root-owned host file and directory stay unwritable"
    run_user $mode sh -c "$bin/suid-probe $t/root-file"
    sn_assert_eq 1 "$rc" "$mode: setuid probe writing $t/root-file ($out)"
    sn_assert_contains "$out" "Permission denied" "$mode: setuid probe's error"
    run_user $mode sh -c "echo pwned >>$t/root-file"
    [ "$rc" != 0 ] || sn_fail "$mode: a shell in the bundle appended to $t/root-file"
    run_user $mode sh -c "echo pwned >$t/root-dir/new"
    [ "$rc" != 0 ] || sn_fail "$mode: a shell in the bundle created $t/root-dir/new"
    run_user $mode /usr/bin/unshare -Ur /bin/sh -c "id -u; echo pwned >>$t/root-file"
    [ "$rc" != 0 ] || sn_fail "$mode: root of a nested user namespace appended to $t/root-file"
    sn_assert_contains "$out" "Permission denied" "$mode: nested user namespace's error"
    sn_assert_eq original "$(cat "$t/root-file")" "$mode: root-owned file content"
    sn_assert_eq "" "$(ls -A "$t/root-dir")" "$mode: root-owned directory content"
done
sn_log "extract: the cached copies of the probes lost their set-id bits"
modes=$(find "$t/cache/squashnix" -name '*-probe' -printf '%m\n' | sort -u | tr '\n' ' ')
sn_assert_eq "755 " "$modes" "modes of extracted set-id files"

sn_log "no descriptor leaks into the program; those the caller passed arrive (root, fuse, extract)"
# The caller: every descriptor above 2 closed, then /dev/null opened as 5 and 7.
cat >"$t/caller.py" <<'PY'
import os, sys
os.closerange(3, 65536)
for fd in (5, 7):
    os.dup2(os.open("/dev/null", os.O_RDONLY), fd)
os.closerange(8, 65536)
os.execvp(sys.argv[1], sys.argv[1:])
PY
list='ls /proc/self/fd | sort -n | tr "\n" " "'
sn_assert_eq "0 1 2 3 5 7 " "$(python3 "$t/caller.py" sh -c "$list")" "descriptors of ls outside"
for mode in root fuse extract; do
    case $mode in
    root) got=$(sn_without_nix python3 "$t/caller.py" "$t/Tools.AppImage" sh -c "$list") ;;
    fuse) got=$(sn_without_nix --user python3 "$t/caller.py" "$t/Tools.AppImage" sh -c "$list") ;;
    extract) got=$(sn_without_nix --user env XDG_CACHE_HOME="$t/cache" APPIMAGE_EXTRACT_AND_RUN=1 \
        python3 "$t/caller.py" "$t/Tools.AppImage" sh -c "$list") ;;
    esac
    sn_assert_eq "0 1 2 3 5 7 " "$got" "$mode: descriptors inside the bundle"
done

sn_log "the program inherits no child of the runtime (it would never reap it: a zombie)"
# The only child of the shell is the cat that lists the children.
children='sleep 0.3; set -- $(cat /proc/$$/task/$$/children); echo $#'
for mode in root fuse extract; do
    case $mode in
    root) got=$(sn_without_nix "$t/Tools.AppImage" sh -c "$children") ;;
    fuse) got=$(sn_without_nix --user "$t/Tools.AppImage" sh -c "$children") ;;
    extract) got=$(sn_without_nix --user env XDG_CACHE_HOME="$t/cache" APPIMAGE_EXTRACT_AND_RUN=1 \
        "$t/Tools.AppImage" sh -c "$children") ;;
    esac
    sn_assert_eq 1 "$got" "$mode: children of the program"
done

sn_log "root, host-like shared /: the bundle's mounts never reach the host's mount table"
# The host's table (mount IDs aside) before, during (from outside the bundle) and after a run that
# mounts everything it can: the runtime's loop mount, and the entry's (host store ignored).
out=$(sn_hostlike sh -c '
    table() { awk "{ \$1 = \"\"; \$2 = \"\"; print }" /proc/self/mountinfo | md5sum; }
    table
    SQUASHNIX_NO_HOST_STORE=1 "$1" sh -c "echo running >$2/running; sleep 1" &
    for i in $(seq 100); do [ -e "$2/running" ] && break; sleep 0.05; done
    table
    wait $!
    table' sh "$t/Tools.AppImage" "$t")
sn_assert_eq 3 "$(wc -l <<<"$out")" "three snapshots of the host's table"
sn_assert_eq 1 "$(sort -u <<<"$out" | wc -l)" "the host's mount table before, during, after a root run"
echo ok
