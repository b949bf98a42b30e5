#!/usr/bin/env bash
# Runtime benchmark: startup overhead of a bundle over the program run natively, per way of running
# it (root: kernel squashfs in a private namespace; user: FUSE; user: warm extraction cache), next
# to the peer (the same image behind Debian's squashfuse, with an unshare + bind stand-in for
# nix-appimage's AppRun); and the throughput of reading every file of a large bundle through our
# FUSE server vs the kernel's squashfs driver. Writes its section of docs/benchmarks.md.
#
# Environment: BENCH_SIZE_MB (default 1024): size of the data in the throughput bundle;
#              BENCH_RUNS (default 30): hyperfine runs per startup case.
. "$(dirname "$0")/../integration/lib.sh"
sn_require_root
sn_allow_user_fuse
command -v hyperfine >/dev/null || sn_fail "hyperfine is missing: make deps"

size_mb=${BENCH_SIZE_MB:-1024}
runs=${BENCH_RUNS:-30}
t=$(sn_tmpdir)
chmod 0777 "$t"
user=$(sn_test_user)
mkdir "$t/cache" && chown "$user" "$t/cache"
as_user=(setpriv --reuid="$user" --regid=sntestg --init-groups env HOME="/home/$user" XDG_CACHE_HOME="$t/cache")

demo=$(sn_fixture_demo)
native=$demo/bin/demo-hello
"$SN_BUILD/squashnix" -q --runtime "$SN_BUILD/runtime" --entry "$SN_BUILD/AppRun" -o "$t/demo.AppImage" "$demo"
offset=$("$t/demo.AppImage" --appimage-offset)

# The peer stand-in: squashfuse (high-level, Debian's) mounts the image; a private mount namespace
# binds its nix/ over /nix (nix-appimage binds the host's / into a tmpfs and chroots; binding /nix
# alone is cheaper, so the stand-in flatters the peer); then squashfuse is unmounted.
cat >"$t/peer.sh" <<PEER
#!/bin/sh
m=\$(mktemp -d)
squashfuse -o offset=$offset "$t/demo.AppImage" "\$m" || exit 127
unshare --mount --propagation private sh -c 'mount --bind "\$1/nix" /nix && exec $native' sh "\$m"
s=\$?
fusermount3 -u "\$m"; rmdir "\$m"
exit \$s
PEER
chmod 0755 "$t/peer.sh"

"${as_user[@]}" "$t/demo.AppImage" --appimage-extract-and-run >/dev/null # warm the cache
load=$(cut -d' ' -f1 /proc/loadavg) # the machine may be shared: say how busy it was
sn_log "startup: $runs runs per case"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$t/startup.json" \
    -n "native" "$native" \
    -n "native, as user" "${as_user[*]} $native" \
    -n "bundle, root (kernel squashfs)" "$t/demo.AppImage" \
    -n "bundle, user (FUSE)" "${as_user[*]} $t/demo.AppImage" \
    -n "bundle, user (warm extraction cache)" "${as_user[*]} APPIMAGE_EXTRACT_AND_RUN=1 $t/demo.AppImage" \
    -n "peer: squashfuse + unshare (root)" "$t/peer.sh" >/dev/null

# Median, mean and standard deviation in ms of the named case.
stat_ms() { python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["command"] == sys.argv[2]:
        print("%.1f %.1f %.1f" % (r["median"] * 1e3, r["mean"] * 1e3, r["stddev"] * 1e3))' "$t/startup.json" "$1"; }

sn_log "throughput: a bundle of $size_mb MB of /usr files"
mkdir -p "$t/big/usr"
{ find /usr/lib /usr/share /usr/bin -xdev -type f -size +1k -printf '%s %p\n' 2>/dev/null || true; } |
    awk -v max=$((size_mb * 1048576)) '{ n += $1; if (n > max) exit; sub(/^[0-9]+ /, ""); print }' |
    xargs -d '\n' cp --parents -t "$t/big" 2>/dev/null || true
printf '#!/bin/sh\nexit 0\n' >"$t/big/AppRun" && chmod 0755 "$t/big/AppRun"
sn_mksquashfs_appimage "$t/big" "$t/big.AppImage" "$SN_BUILD/runtime"
data_mb=$(du -sm "$t/big" | cut -f1)
big_off=$("$t/big.AppImage" --appimage-offset)

calc() { awk "BEGIN { printf \"%.6f\", $1 }"; } # (no bc: not in DEB_PACKAGES)
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || cold=no; }
read_all() { # DIR: prints seconds to read every file (as the user, for the FUSE mount)
    local s e
    drop_caches
    s=$(date +%s.%N)
    "${@:2}" find "$1" -type f -exec cat {} + >/dev/null
    e=$(date +%s.%N)
    calc "$e - $s"
}
cold=yes
kdir=$(sn_mount_image "$t/big.AppImage" "$big_off")
kernel_s=$(read_all "$kdir")
"${as_user[@]}" TMPDIR="$t" "$t/big.AppImage" --appimage-mount >"$t/mnt" &
mpid=$!
for _ in $(seq 100); do [ -s "$t/mnt" ] && break; sleep 0.05; done
fuse_s=$(read_all "$(cat "$t/mnt")" "${as_user[@]}")
kill -TERM $mpid
wait $mpid || true

# The section, replacing an older one of ours and keeping the rest of the file.
section=$(mktemp)
{
    echo "## Runtime: startup and read throughput (tests/bench/runtime.sh)"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) CPUs, Linux $(uname -r), load average before: $load. Program: the demo"
    echo "fixture (prints one line);"
    echo "hyperfine -N, $runs runs after 3 warm-ups; the machine is shared, so medians. Overhead = median"
    echo "minus native's median (as root, or as the user: setpriv itself costs a few ms)."
    echo
    echo "| case | median (ms) | mean ± stddev (ms) | overhead (ms) |"
    echo "|---|---|---|---|"
    read -r nat _ <<<"$(stat_ms native)"
    read -r natu _ <<<"$(stat_ms "native, as user")"
    for c in "native" "native, as user" "bundle, root (kernel squashfs)" "bundle, user (FUSE)" \
        "bundle, user (warm extraction cache)" "peer: squashfuse + unshare (root)"; do
        read -r med m sd <<<"$(stat_ms "$c")"
        base=$nat
        case $c in *user*) base=$natu ;; esac
        printf '| %s | %s | %s ± %s | %.1f |\n' "$c" "$med" "$m" "$sd" "$(calc "$med - $base")"
    done
    echo
    echo "Reading every file ($data_mb MB of /usr files, $(find "$t/big" -type f | wc -l) files; page cache dropped"
    echo "before each: $cold):"
    echo
    echo "| reader | seconds | MB/s | vs kernel |"
    echo "|---|---|---|---|"
    printf '| kernel squashfs (loop) | %.2f | %.0f | 1.00 |\n' "$kernel_s" "$(calc "$data_mb / $kernel_s")"
    printf '| runtime FUSE (squashfuse low-level, one thread) | %.2f | %.0f | %.2f |\n' "$fuse_s" \
        "$(calc "$data_mb / $fuse_s")" "$(calc "$kernel_s / $fuse_s")"
    echo
} >"$section"
sn_bench_write_section "## Runtime: startup and read throughput" "$section"
rm -f "$section"
