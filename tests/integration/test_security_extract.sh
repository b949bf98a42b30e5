#!/usr/bin/env bash
# Hostile images: --appimage-extract (as root and as a user) and the extraction fallback (user,
# APPIMAGE_EXTRACT_AND_RUN=1) write nothing outside their target. The images hold names a
# squashfs writer would refuse, patched into an uncompressed image made by mksquashfs:
#   dotdot        a directory named ".." holding a file
#   abs-swap      a symlink to an outside directory, then a directory of the same name with a file
#   rel-swap      the same with a relative symlink "../../.."
#   file-swap     a symlink to an outside file, then a regular file of the same name
#   passwd        a plain absolute symlink to /etc/passwd (kept as a symlink, never followed)
# After each run: the outside directory is empty, the outside file and /etc/passwd are unchanged,
# the run directory holds only the bundle and squashfs-root, the cache only its own entries, and
# the runtime did not crash (exit status below 128).
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
user=$(sn_test_user)
mkdir -m 0777 "$t/outside"
printf 'victim\n' >"$t/victim"
chmod 0666 "$t/victim" # writable by the user too: only the extractor's care protects it
passwd_sum=$(md5sum </etc/passwd)

# An AppImage (the runtime + an uncompressed image of TREE) with the name FROM replaced by TO in
# the image's bytes (same length; FROM must occur once; no FROM: no change).
patched_appimage() { # TREE OUT FROM TO
    mksquashfs "$1" "$2.sqfs" -noI -noD -noF -noX -noappend -quiet -all-root -no-xattrs \
        -mkfs-time 0 -all-time 0 >/dev/null
    python3 - "$2.sqfs" "$3" "$4" <<'PY' || sn_fail "cannot patch $3 into $4 in $2"
import sys
path, a, b = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
data = open(path, "rb").read()
if not a:
    sys.exit(0)
assert len(a) == len(b) and data.count(a) == 1, data.count(a)
open(path, "wb").write(data.replace(a, b))
PY
    cat "$SN_BUILD/runtime" "$2.sqfs" >"$2"
    rm -f "$2.sqfs"
    chmod 0755 "$2"
}
tree() { # NAME: a fresh tree with an AppRun
    mkdir -p "$t/trees/$1"
    printf '#!/bin/sh\necho ran\n' >"$t/trees/$1/AppRun"
    chmod 0755 "$t/trees/$1/AppRun"
    printf '%s\n' "$t/trees/$1"
}

d=$(tree dotdot)
mkdir "$d/qx"
printf 'escaped\n' >"$d/qx/zz-dotdot"
patched_appimage "$d" "$t/dotdot.AppImage" qx ..

d=$(tree abs-swap)
ln -s "$t/outside" "$d/sa"
mkdir "$d/sb"
printf 'through the link\n' >"$d/sb/zz-abs"
patched_appimage "$d" "$t/abs-swap.AppImage" sb sa

d=$(tree rel-swap)
ln -s ../../../../../../../../.. "$d/ra"
mkdir "$d/rb"
printf 'through the link\n' >"$d/rb/zz-rel"
patched_appimage "$d" "$t/rel-swap.AppImage" rb ra

d=$(tree file-swap)
ln -s "$t/victim" "$d/fa"
printf 'pwned\n' >"$d/fb"
patched_appimage "$d" "$t/file-swap.AppImage" fb fa

d=$(tree passwd)
ln -s /etc/passwd "$d/passwd"
patched_appimage "$d" "$t/passwd.AppImage" "" ""

check_outside() { # WHAT RUN_DIR
    sn_assert_eq "" "$(ls -A "$t/outside")" "$1: the outside directory"
    sn_assert_eq victim "$(cat "$t/victim")" "$1: the outside file"
    sn_assert_eq "$passwd_sum" "$(md5sum </etc/passwd)" "$1: /etc/passwd"
    # Where an escape would land: / (from "../../.."), the test directory (from ".."), /tmp.
    sn_assert_eq "" "$( (find / /tmp -maxdepth 1 -name 'zz-*'; find "$t" -name 'zz-*') |
        grep -v "^$2/squashfs-root/\|^$t/cache/\|^$t/trees/" || true)" "$1: files written elsewhere"
}

for name in dotdot abs-swap rel-swap file-swap passwd; do
    for who in root user; do
        sn_log "$name: --appimage-extract as $who"
        run=$t/run-$name-$who
        mkdir -m 0777 "$run"
        cp "$t/$name.AppImage" "$run/"
        set +e
        if [ $who = root ]; then
            err=$(cd "$run" && "./$name.AppImage" --appimage-extract 2>&1)
        else
            err=$(cd "$run" && sn_as_user "./$name.AppImage" --appimage-extract 2>&1)
        fi
        rc=$?
        set -e
        [ "$rc" -lt 128 ] || sn_fail "$name ($who): the runtime died of signal $((rc - 128)): $err"
        sn_log "  exit $rc: $(head -n 1 <<<"$err")"
        check_outside "$name ($who)" "$run"
        case "$(ls "$run" | tr '\n' ' ')" in
        "$name.AppImage " | "$name.AppImage squashfs-root ") ;;
        *) sn_fail "$name ($who): the run directory holds $(ls "$run")" ;;
        esac
    done

    sn_log "$name: the extraction fallback as the user"
    mkdir -p "$t/cache"
    chown "$user" "$t/cache"
    set +e
    err=$(cd "$t/outside" && sn_as_user env XDG_CACHE_HOME="$t/cache" APPIMAGE_EXTRACT_AND_RUN=1 \
        "$t/$name.AppImage" 2>&1)
    rc=$?
    set -e
    [ "$rc" -lt 128 ] || sn_fail "$name (cache): the runtime died of signal $((rc - 128)): $err"
    sn_log "  exit $rc: $(head -n 1 <<<"$err")"
    check_outside "$name (cache)" "$t/cache"
    extra=$(find "$t/cache" -mindepth 1 -maxdepth 2 -printf '%P\n' |
        grep -vxE 'squashnix|squashnix/[0-9a-f]{32}(\.lock)?' || true)
    sn_assert_eq "" "$extra" "$name (cache): only the cache's own entries"
    rm -rf "$t/cache"
done

sn_log "passwd: the symlink is extracted as a symlink"
sn_assert_eq /etc/passwd "$(readlink "$t/run-passwd-root/squashfs-root/passwd")" "extracted symlink"
echo ok
