#!/usr/bin/env bash
# The seed's regression (the bpftrace case), as root on a host whose / is rshared like systemd's,
# without Nix: the image mounted by the kernel at a .mount_* directory, 20 runs in a row and 10 at
# once leave the host's mount table identical; inside a run no mount point lies under a mountroot
# or a .mount_* directory, and the mount count is bounded and does not grow. Then the same check on
# an entry built with MS_UNBINDABLE removed must fail: the test can fail.
. "$(dirname "$0")/lib.sh"
sn_require_root

tmp=$(sn_tmpdir)
tools=$(sn_fixture_tools)
sn_appdir_from_closure "$tmp/tools" "$tools" bin/busybox >/dev/null
sn_mksquashfs_appimage "$tmp/tools" "$tmp/tools.sqfs"

# Runs in the host-like namespace: IMAGE OUTDIR. Exit 0 when every check passes; prints why not.
cat >"$tmp/inside-hostlike.sh" <<'INNER'
set -u
img=$1 out=$2
. "$SN_LIB"
status=0
bad() { echo "CHECK FAILED: $*"; status=1; }
mount -t tmpfs -o mode=0755 none /nix # as on a machine without Nix
mnt=$(mktemp -d "$out/.mount_toolsXXXXXX")
mount -t squashfs -o ro,loop "$img" "$mnt" || { echo "cannot mount $img"; exit 2; }
sn_mounts >"$out/host.before"
host_count=$(wc -l <"$out/host.before")
root_entries=$(ls -A / | wc -l)
probe='cat /proc/self/mountinfo'
for i in $(seq 20); do
    APPDIR=$mnt "$mnt/AppRun" sh -c "$probe" >"$out/run.$i" || bad "run $i exited $?"
done
for i in $(seq 10); do
    APPDIR=$mnt "$mnt/AppRun" sh -c "$probe" >"$out/par.$i" &
done
for i in $(seq 10); do wait -n || bad "a parallel run exited $?"; done
sn_mounts >"$out/host.after"
diff -u "$out/host.before" "$out/host.after" >"$out/host.diff" || bad "the host's mount table changed: $(cat "$out/host.diff")"
limit=$((host_count + root_entries + 5))
for f in "$out"/run.* "$out"/par.*; do
    under=$(awk '$5 ~ /\/mountroot(\/|$)/ || $5 ~ /\/\.mount_[^\/]*\// { print $5 }' "$f")
    [ -z "$under" ] || bad "$(basename "$f"): mount points under a mountroot or a .mount_* dir: $(echo $under | head -c 400)"
    count=$(wc -l <"$f")
    [ "$count" -le "$limit" ] || bad "$(basename "$f"): $count mounts inside, over host $host_count + $root_entries entries of / + 5"
done
first=$(wc -l <"$out/run.1")
last=$(wc -l <"$out/run.20")
[ "$first" = "$last" ] || bad "mount count grows with runs: $first in run 1, $last in run 20"
echo "host mounts: $host_count, entries of /: $root_entries, mounts inside: $first"
umount "$mnt"
exit $status
INNER

check() { # IMAGE: runs the check in a fresh host-like namespace; prints its report
    local out
    out=$(mktemp -d "$tmp/out.XXXXXX")
    SN_LIB="$SN_ROOT/tests/integration/lib.sh" sn_hostlike bash "$tmp/inside-hostlike.sh" "$1" "$out"
}

sn_log "20 runs in a row and 10 at once, root, / rshared, image mounted by the kernel"
report=$(check "$tmp/tools.sqfs") || sn_fail "seed regression: $report"
sn_log "$report"
# (this machine's own table is shared with whatever else runs; none of its mounts may be this test's)
! grep -qF "$tmp" /proc/self/mountinfo || sn_fail "a mount of this test is left on the machine: $(grep -F "$tmp" /proc/self/mountinfo)"

sn_log "the same check fails with an entry built without MS_UNBINDABLE"
mkdir "$tmp/src"
cp "$SN_ROOT"/entry/*.c "$SN_ROOT"/entry/*.h "$tmp/src/"
sed -i 's/MS_UNBINDABLE/MS_PRIVATE/' "$tmp/src/mountroot.c"
! cmp -s "$SN_ROOT/entry/mountroot.c" "$tmp/src/mountroot.c" || sn_fail "could not remove MS_UNBINDABLE from mountroot.c"
gcc -std=c11 -D_GNU_SOURCE -O2 -static -o "$tmp/AppRun.nounbindable" "$tmp"/src/*.c ||
    sn_fail "building the variant entry failed"
cp -a "$tmp/tools" "$tmp/variant"
install -m 0755 "$tmp/AppRun.nounbindable" "$tmp/variant/AppRun"
sn_mksquashfs_appimage "$tmp/variant" "$tmp/variant.sqfs"
if report=$(check "$tmp/variant.sqfs"); then
    sn_fail "the check passed with MS_UNBINDABLE removed: it cannot catch the regression ($report)"
fi
sn_log "variant: $(printf %s "$report" | head -c 300)"
sn_assert_contains "$report" "under a mountroot or a .mount_* dir" "variant failure"
# (this machine's own table is shared with whatever else runs; none of its mounts may be this test's)
! grep -qF "$tmp" /proc/self/mountinfo || sn_fail "a mount of this test is left on the machine: $(grep -F "$tmp" /proc/self/mountinfo)"
echo "test_entry_seed: ok"
