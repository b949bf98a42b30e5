#!/usr/bin/env bash
# squashnix on the demo closure: the file is a valid AppImage type 2 (magic at offset 8, the four
# sections, the MD5 digest as the specification computes it), its image starts where inspect says
# (the runtime's size) and holds exactly the closure plus the documented layout (checked with the
# kernel's squashfs driver and with unsquashfs), and the program runs from the image mounted with
# Debian's squashfuse on a host where /nix is hidden.
. "$(dirname "$0")/lib.sh"
sn_require_root

demo=$(sn_fixture_demo)
tmp=$(sn_tmpdir)
out=$tmp/demo.AppImage
"$SN_BUILD/squashnix" -q -o "$out" "$demo" || sn_fail "squashnix failed on $demo"
[ -x "$out" ] || sn_fail "output is not executable"
sn_assert_eq 755 "$(stat -c %a "$out")" "output mode"

# Type 2 magic and sections.
sn_assert_eq "414902" "$(od -An -tx1 -j8 -N3 "$out" | tr -d ' \n')" "magic at offset 8"
for s in .digest_md5:16 .upd_info:1024 .sha256_sig:1024 .sig_key:8192; do
    hex=$(readelf -SW "$out" | sed 's/\[ */[/' | awk -v n="${s%%:*}" '$2 == n { print $6 }')
    [ -n "$hex" ] || sn_fail "no section ${s%%:*}"
    sn_assert_eq "${s#*:}" "$((16#$hex))" "size of section ${s%%:*}"
done

# The digest, computed independently: MD5 of the file with .digest_md5, .sha256_sig, .sig_key zeroed.
python3 - "$out" <<'PY' || sn_fail "digest in .digest_md5 is not the specification's MD5"
import hashlib, subprocess, sys
path = sys.argv[1]
secs = {}
for line in subprocess.run(["readelf", "-SW", path], capture_output=True, text=True).stdout.splitlines():
    f = line.replace("[ ", "[").split()
    if len(f) > 6 and f[1] in (".digest_md5", ".sha256_sig", ".sig_key"):
        secs[f[1]] = (int(f[4], 16), int(f[5], 16))
data = bytearray(open(path, "rb").read())
off, size = secs[".digest_md5"]
stored = bytes(data[off:off + size])
for off, size in secs.values():
    data[off:off + size] = bytes(size)
sys.exit(0 if hashlib.md5(data).digest() == stored else 1)
PY

# inspect: offset = the runtime's size; digest matches; the program and the closure.
info=$("$SN_BUILD/squashnix" inspect "$out") || sn_fail "inspect failed: $info"
offset=$(awk '/^offset:/ { print $2 }' <<<"$info")
sn_assert_eq "$(stat -c %s "$SN_BUILD/runtime")" "$offset" "image offset"
sn_assert_contains "$info" "(matches)" "inspect digest"
sn_assert_contains "$info" "runtime:     squashnix runtime $("$SN_BUILD/squashnix" --version | awk '{print $NF}')" "inspect runtime version"
sn_assert_contains "$info" "program:     $demo/bin/demo-hello" "inspect program"
sn_assert_contains "$info" "compression: zstd" "inspect compression"
sn_assert_contains "$info" "closure:     3 store paths" "inspect closure"

# A byte changed in the image: inspect says the digest does not match, exit status 3. A file that
# is not an AppImage: exit status 1 naming it.
cp "$out" "$tmp/tampered.AppImage"
printf 'X' | dd of="$tmp/tampered.AppImage" bs=1 seek=$((offset + 200)) conv=notrunc status=none
rc=0
bad=$("$SN_BUILD/squashnix" inspect "$tmp/tampered.AppImage" 2>&1) || rc=$?
sn_assert_eq 3 "$rc" "inspect exit status for a changed file"
sn_assert_contains "$bad" "DOES NOT MATCH" "inspect of a changed file"
rc=0
bad=$("$SN_BUILD/squashnix" inspect /bin/true 2>&1) || rc=$?
sn_assert_eq 1 "$rc" "inspect exit status for a non-AppImage"
sn_assert_contains "$bad" "/bin/true: no AppImage type 2 magic" "inspect of a non-AppImage"

# Kernel squashfs driver at that offset: exactly the closure, and the documented layout.
mnt=$(sn_mount_image "$out" "$offset")
closure=$(nix-store -qR "$demo" | sort)
sn_assert_eq "$(sed 's|^/nix/store/||' <<<"$closure")" "$(ls "$mnt/nix/store")" "store paths in the image"
sn_assert_eq "$closure" "$(cat "$mnt/.squashnix/closure")" "/.squashnix/closure"
sn_assert_eq "$demo/bin/demo-hello" "$(readlink "$mnt/entrypoint")" "/entrypoint"
cmp -s "$SN_BUILD/AppRun" "$mnt/AppRun" || sn_fail "/AppRun is not the entry"
[ -x "$mnt/AppRun" ] || sn_fail "/AppRun is not executable"
[ -d "$mnt/mountroot" ] && [ -z "$(ls -A "$mnt/mountroot")" ] || sn_fail "/mountroot is not an empty directory"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["program"] == sys.argv[2] and d["compression"] == "zstd" and d["squashnix"]' \
    "$mnt/.squashnix/info.json" "$demo/bin/demo-hello" || sn_fail "info.json: $(cat "$mnt/.squashnix/info.json")"
# Every file of every store path, byte for byte, with its mode.
for p in $closure; do
    diff -r --no-dereference "$p" "$mnt$p" >/dev/null || sn_fail "$p differs in the image"
    sn_assert_eq "$(cd "$p" && find . -printf '%p %m %y\n' | sort)" \
        "$(cd "$mnt$p" && find . -printf '%p %m %y\n' | sort)" "modes and types of $p"
done

# unsquashfs (squashfs-tools) reads the same tree at that offset.
listing=$(unsquashfs -o "$offset" -l -d '' "$out" | sed '/^$/d' | sort)
expected=$( (cd "$mnt" && find . -mindepth 1 | sed 's|^\./|/|') | sort)
sn_assert_eq "$expected" "$listing" "unsquashfs listing"

# The program runs from the image mounted with squashfuse, where /nix is hidden.
fmnt=$(sn_tmpdir)
squashfuse -o "offset=$offset" "$out" "$fmnt" || sn_fail "squashfuse could not mount the image"
sn_cleanup_add "fusermount3 -u '$fmnt' || umount -l '$fmnt'"
got=$(sn_without_nix sh -c '
    [ ! -e "$2" ] || { echo "/nix is not hidden"; exit 1; }
    mkdir /nix/store && mount --bind "$1/nix/store" /nix/store && exec "$2" squashnix' sh "$fmnt" "$demo/bin/demo-hello") ||
    sn_fail "program failed from the image: $got"
sn_assert_eq "Hello, squashnix!" "$got" "program output from the image"
# And the bundle itself (squashnix's runtime and entry) runs it there, as root and as a user.
got=$(sn_without_nix "$out" itself 2>&1) || sn_fail "the bundle failed where /nix is hidden: $got"
sn_assert_eq "Hello, itself!" "$got" "bundle output as root"
sn_allow_user_fuse
cp "$out" "$tmp/user.AppImage"
chmod 0755 "$tmp/user.AppImage"
got=$(sn_without_nix --user "$tmp/user.AppImage" user 2>&1) || sn_fail "the bundle failed as a user where /nix is hidden: $got"
sn_assert_eq "Hello, user!" "$got" "bundle output as a user"
echo "ok"
