#!/usr/bin/env bash
# Every error of the squashnix command: a clear message naming the culprit on stderr, the
# documented exit status, no output file, no temporary file, and an existing output untouched.
# Also SIGINT and SIGTERM in the middle of writing.
. "$(dirname "$0")/lib.sh"
sn_require_root

demo=$(sn_fixture_demo)
tmp=$(sn_tmpdir)
work=$tmp/work
mkdir "$work"
out=$work/out.AppImage

# Runs squashnix expecting STATUS and a message containing NEEDLE; checks that nothing was
# written: OUT holds its old content (or is absent) and nothing else appeared in WORK.
expect_error() { # STATUS NEEDLE ARGS...
    local status=$1 needle=$2 rc=0 msg
    shift 2
    msg=$(cd "$work" && "$SN_BUILD/squashnix" "$@" 2>&1 >/dev/null) || rc=$?
    sn_assert_eq "$status" "$rc" "exit status of squashnix $*"
    sn_assert_contains "$msg" "$needle" "message of squashnix $*"
    sn_assert_eq "old" "$(cat "$out")" "existing output after squashnix $*"
    sn_assert_eq "out.AppImage" "$(ls -A "$work")" "files left by squashnix $*"
}
echo old >"$out"

printf 'not an ELF at all, just some text long enough to be read as a header.....\n' >"$tmp/text"
cp /bin/true "$tmp/elf-nomagic"
expect_error 1 "$tmp/text: not an ELF file" --runtime "$tmp/text" -o "$out" "$demo"
expect_error 1 'no AppImage type 2 magic' --runtime "$tmp/elf-nomagic" -o "$out" "$demo"
cp /bin/true "$tmp/elf-magic"
printf 'AI\002' | dd of="$tmp/elf-magic" bs=1 seek=8 conv=notrunc status=none
expect_error 1 'no .digest_md5 section' --runtime "$tmp/elf-magic" -o "$out" "$demo"
expect_error 2 "opening the runtime $tmp/missing" --runtime "$tmp/missing" -o "$out" "$demo"
expect_error 1 'unknown type' --update-info 'http://example.org/x' -o "$out" "$demo"
expect_error 1 '4 fields' --update-info 'gh-releases-zsync|a|b|latest' -o "$out" "$demo"
expect_error 1 "$tmp/nonexistent does not exist: build it first" -o "$out" "$tmp/nonexistent"
expect_error 1 "is not in /nix/store" -o "$out" /usr/bin
expect_error 1 "is inside the store path $demo" -o "$out" "$demo/bin/demo-hello"
expect_error 1 "bin/nope is not an executable file" --program bin/nope -o "$out" "$demo"
expect_error 1 "has no executable in bin/" -o "$out" "$(nix-store -qR "$demo" | grep demo-greet)"
expect_error 1 "--level 30: zstd takes levels" -l 30 -o "$out" "$demo"
expect_error 1 "--block-size '3K'" -b 3K -o "$out" "$demo"
expect_error 1 "unknown option '--bogus'" --bogus -o "$out" "$demo"
expect_error 1 "entry $tmp/missing-entry: " --entry "$tmp/missing-entry" -o "$out" "$demo"
echo '{"broken": ' >"$tmp/bad.json"
expect_error 1 "--closure $tmp/bad.json" --closure "$tmp/bad.json" -o "$out"
expect_error 1 "no such file" --closure "$tmp/none.json" -o "$out"
rc=0
msg=$(cd "$work" && SOURCE_DATE_EPOCH=yesterday "$SN_BUILD/squashnix" -o "$out" "$demo" 2>&1) || rc=$?
sn_assert_eq 1 "$rc" "exit status with a bad SOURCE_DATE_EPOCH"
sn_assert_contains "$msg" "SOURCE_DATE_EPOCH='yesterday'" "bad SOURCE_DATE_EPOCH message"
# An output directory that cannot be written: a system error, nothing left.
rc=0
msg=$("$SN_BUILD/squashnix" -o "$tmp/no/such/dir/x.AppImage" "$demo" 2>&1) || rc=$?
sn_assert_eq 2 "$rc" "exit status for an unwritable output"
sn_assert_contains "$msg" "creating a temporary file beside $tmp/no/such/dir/x.AppImage" "unwritable output message"
# --appdir: AppRun must be executable; only files, directories and symlinks can be bundled.
mkdir -p "$tmp/appdir"
printf '#!/bin/sh\n' >"$tmp/appdir/AppRun"
expect_error 1 "AppRun is not an executable file" --appdir "$tmp/appdir" -o "$out"
chmod 0755 "$tmp/appdir/AppRun"
mkfifo "$tmp/appdir/fifo"
expect_error 1 "fifo" --appdir "$tmp/appdir" -o "$out"
rm "$tmp/appdir/fifo"

# SIGINT and SIGTERM while the image is written: no file, the old output untouched. A large,
# incompressible store path and xz at its highest level keep the writer busy for seconds.
big=/var/tmp/squashnix-fixtures/big-input
if [ ! -f "$big/data" ]; then
    mkdir -p "$big/bin"
    printf '#!/bin/sh\necho big\n' >"$big/bin/big-input"
    chmod 0755 "$big/bin/big-input"
    python3 -c 'import random,sys; r=random.Random(7); sys.stdout.buffer.write(r.randbytes(48 << 20))' >"$big/data"
fi
bigpath=$(nix-store --add "$big")
for sig in INT TERM; do
    (cd "$work" && exec "$SN_BUILD/squashnix" -q -c xz -l 9 -j 1 -o "$out" "$bigpath") &
    pid=$!
    for _ in $(seq 200); do
        [ -n "$(ls -A "$work" | grep -v '^out.AppImage$')" ] && break
        sleep 0.05
    done
    [ -n "$(ls -A "$work" | grep -v '^out.AppImage$')" ] || sn_fail "no temporary file appeared while writing"
    sleep 0.3
    kill -s "$sig" "$pid"
    rc=0
    wait "$pid" || rc=$?
    sn_assert_eq $((128 + $(kill -l "$sig"))) "$rc" "exit status after SIG$sig"
    sn_assert_eq "old" "$(cat "$out")" "existing output after SIG$sig"
    sn_assert_eq "out.AppImage" "$(ls -A "$work")" "files left after SIG$sig"
done
echo ok
