#!/usr/bin/env bash
# Corrupted images through the real runtime: the fuzzer's reproducers (tests/fuzz/regressions/
# extract/*.sqfs) and 60 mutants of the seed images (tests/fuzz/corpus/extract/tree-*.sqfs, bytes
# overwritten at positions drawn from a fixed seed) behind build/runtime. `--appimage-extract`
# (root) and the extraction fallback (user, APPIMAGE_EXTRACT_AND_RUN=1) must end with an exit
# status (0 or the runtime's 127 with a message), never die of a signal, and write nothing outside
# the run directory and the cache.
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
user=$(sn_test_user)
mkdir -p "$t/images" "$t/cache" "$t/outside"
chown "$user" "$t/cache"
chmod 0777 "$t/outside"
for f in "$SN_ROOT"/tests/fuzz/regressions/extract/*.sqfs; do
    [ -e "$f" ] && cp "$f" "$t/images/"
done
python3 - "$t/images" "$SN_ROOT"/tests/fuzz/corpus/extract/tree-*.sqfs <<'PY'
import os, random, sys
out, seeds = sys.argv[1], sys.argv[2:]
rng = random.Random(8)
for i in range(60):
    src = seeds[i % len(seeds)]
    data = bytearray(open(src, "rb").read())
    used = int.from_bytes(data[40:48], "little")   # bytes_used: mutate only the image proper
    for _ in range(rng.randint(1, 8)):
        pos = rng.randrange(96, used)              # past the superblock: the tables and data
        data[pos] = rng.randrange(256)
    open(os.path.join(out, "mutant-%02d-%s" % (i, os.path.basename(src))), "wb").write(data)
PY

crashed=()
for img in "$t"/images/*; do
    name=$(basename "$img")
    cat "$SN_BUILD/runtime" "$img" >"$t/bundle"
    chmod 0755 "$t/bundle"
    rm -rf "$t/run"
    mkdir "$t/run"
    set +e
    (cd "$t/run" && "$t/bundle" --appimage-extract >/dev/null 2>"$t/err")
    rc_extract=$?
    (cd "$t/outside" && sn_as_user env XDG_CACHE_HOME="$t/cache" APPIMAGE_EXTRACT_AND_RUN=1 \
        "$t/bundle" >/dev/null 2>>"$t/err")
    rc_cache=$?
    set -e
    [ "$rc_extract" -lt 128 ] || crashed+=("$name: --appimage-extract died of signal $((rc_extract - 128))")
    [ "$rc_cache" -lt 128 ] || crashed+=("$name: the extraction fallback died of signal $((rc_cache - 128))")
    sn_assert_eq "" "$(ls -A "$t/outside")" "$name: the working directory of the fallback run"
    case "$(ls -A "$t/run")" in
    "" | squashfs-root) ;; # refused up front, or extracted (partly)
    *) sn_fail "$name: the run directory holds $(ls -A "$t/run")" ;;
    esac
done
sn_log "$(ls "$t/images" | wc -l) images tried"
[ ${#crashed[@]} -eq 0 ] || sn_fail "the runtime crashed on corrupted images:$(printf '\n  %s' "${crashed[@]}")"
echo ok
