#!/usr/bin/env bash
# The bundler killed at random moments. SIGKILL (20 times, at delays drawn from a fixed seed over
# a whole run): the output name holds either the older bundle that was there, byte for byte, or the
# complete new one (byte-identical to a reference build, which also runs), never a partial file.
# SIGTERM and SIGINT (5 times each): exit 143/130, the older bundle kept, and no temporary file
# left (the bundler removes it; after SIGKILL nothing can, and the count is reported).
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
tools=$(sn_fixture_tools)
args=(-q -c xz --runtime "$SN_BUILD/runtime" --entry "$SN_BUILD/AppRun")
export SOURCE_DATE_EPOCH=1
"$SN_BUILD/squashnix" "${args[@]}" -o "$t/new.AppImage" "$tools"
"$SN_BUILD/squashnix" "${args[@]}" --update-info 'zsync|https://example.org/old.zsync' \
    -o "$t/old.AppImage" "$tools"
sn_assert_eq "Hello" "$(sn_without_nix "$t/new.AppImage" echo Hello)" "the reference bundle runs"
start=$(date +%s%N)
"$SN_BUILD/squashnix" "${args[@]}" -o "$t/timing.AppImage" "$tools"
run_ms=$((($(date +%s%N) - start) / 1000000 + 50))
sn_log "a run takes about $run_ms ms"
mkdir "$t/out"

# Starts a bundle into $t/out/app.AppImage (holding the old bundle), sends SIG after MS ms, waits.
kill_at() { # SIG MS
    cp "$t/old.AppImage" "$t/out/app.AppImage"
    "$SN_BUILD/squashnix" "${args[@]}" -o "$t/out/app.AppImage" "$tools" 2>/dev/null &
    local pid=$!
    sleep "$(printf '0.%03d' "$2")"
    kill -s "$1" "$pid" 2>/dev/null || true
    set +e
    wait "$pid"
    rc=$?
    set -e
}
final_ok() { # WHAT
    if cmp -s "$t/out/app.AppImage" "$t/old.AppImage"; then
        outcome=old
    elif cmp -s "$t/out/app.AppImage" "$t/new.AppImage"; then
        outcome=new
    else
        sn_fail "$1: the output name holds neither the old nor the complete new bundle"
    fi
}

mapfile -t delays < <(python3 -c "import random; r = random.Random(8); print('\n'.join(str(r.randrange($run_ms)) for _ in range(50)))")
old=0 new=0 leftover=0
for i in $(seq 0 19); do
    kill_at KILL "${delays[i]}"
    final_ok "SIGKILL after ${delays[i]} ms"
    [ $outcome = old ] && old=$((old + 1)) || new=$((new + 1))
    leftover=$((leftover + $(find "$t/out" -name '.app.AppImage.*' | wc -l)))
    rm -f "$t/out"/.app.AppImage.*
done
sn_log "SIGKILL x20: old bundle kept $old times, new complete bundle $new times, $leftover temporary files left behind"
[ $old -gt 0 ] || sn_fail "no SIGKILL landed during a run: the test did not test anything"

for sig in TERM INT; do
    for i in $(seq 20 24); do
        kill_at $sig "${delays[i]}"
        final_ok "SIG$sig after ${delays[i]} ms"
        if [ $outcome = old ]; then
            want=$((128 + $(kill -l $sig)))
            sn_assert_eq "$want" "$rc" "SIG$sig after ${delays[i]} ms: exit status"
        fi
        sn_assert_eq "" "$(find "$t/out" -name '.app.AppImage.*')" "SIG$sig after ${delays[i]} ms: temporary file"
    done
done
echo ok
