#!/usr/bin/env bash
# Disk full while bundling: the output directory is a small tmpfs, sized so that space runs out
# while the runtime is written, in the middle of the image, and near its end (and with an older
# bundle already at the output name). Each run fails with exit status 2 and a message saying the
# disk is full and naming the output file; afterwards the directory holds exactly what it held
# before (no partial file, no temporary file; the older bundle untouched).
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
demo=$(sn_fixture_demo)
args=(-q --runtime "$SN_BUILD/runtime" --entry "$SN_BUILD/AppRun")
"$SN_BUILD/squashnix" "${args[@]}" -o "$t/full.AppImage" "$demo"
size=$(stat -c %s "$t/full.AppImage")
mkdir "$t/small"
sn_cleanup_add "umount '$t/small'"

# Mounts a tmpfs of KIB KiB at $t/small, optionally with an old bundle in it; bundles into it.
full_disk() { # KIB [old]
    umount "$t/small" 2>/dev/null || true
    mount -t tmpfs -o "size=${1}k,mode=0755" none "$t/small"
    [ "${2:-}" != old ] || printf 'old bundle\n' >"$t/small/demo.AppImage"
    before=$(ls -A "$t/small")
    set +e
    err=$("$SN_BUILD/squashnix" "${args[@]}" -o "$t/small/demo.AppImage" "$demo" 2>&1)
    rc=$?
    set -e
    sn_log "${1} KiB: exit $rc: $err"
    sn_assert_eq 2 "$rc" "${1} KiB: exit status"
    sn_assert_contains "$err" "No space left on device" "${1} KiB: message"
    sn_assert_contains "$err" "$t/small/demo.AppImage" "${1} KiB: message names the output"
    sn_assert_eq "$before" "$(ls -A "$t/small")" "${1} KiB: directory content afterwards"
    [ "${2:-}" != old ] || sn_assert_eq "old bundle" "$(cat "$t/small/demo.AppImage")" "old bundle kept"
}
runtime_kib=$(($(stat -c %s "$SN_BUILD/runtime") / 1024))
full_disk $((runtime_kib / 2))                   # in the runtime
full_disk $(((runtime_kib + size / 1024) / 2))   # in the image
full_disk $((size / 1024 - 8))                   # near the end
full_disk $((size / 1024 - 8)) old               # with an older bundle at the output name
echo ok
