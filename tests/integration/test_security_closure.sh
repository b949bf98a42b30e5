#!/usr/bin/env bash
# Hostile closure documents given to `squashnix --closure`: paths outside the store (absolute
# elsewhere, `..` components, relative, NUL and newline bytes), 10^6 entries, nesting a million
# levels deep, a document over the size limit. Each is rejected with a message naming the path or
# the limit, within bounded memory (peak RSS measured with /usr/bin/time -v, asserted under
# 1 GiB and printed), and no output file is written.
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
h=7wvjv8q5dl7abr8z82l61v3y62j62qiz
max_rss_kb=$((1024 * 1024))

# Runs squashnix on the closure FILE with an output path; sets rc, err and rss (KiB).
bundle() { # FILE
    set +e
    /usr/bin/time -v -o "$t/time" "$SN_BUILD/squashnix" -q --runtime "$SN_BUILD/runtime" \
        --entry "$SN_BUILD/AppRun" --closure "$1" -o "$t/out.AppImage" 2>"$t/err"
    rc=$?
    set -e
    err=$(cat "$t/err")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$t/time")
    [ ! -e "$t/out.AppImage" ] || sn_fail "$1: an output file was written"
    [ -z "$(find "$t" -maxdepth 1 -name '*out.AppImage*')" ] || sn_fail "$1: a temporary file was left"
    [ "$rss" -lt $max_rss_kb ] || sn_fail "$1: peak RSS $rss KiB"
}
rejected() { # FILE NEEDLE WHAT
    bundle "$1"
    [ "$rc" = 1 ] || sn_fail "$3: exit status $rc, expected 1: bad input ($err)"
    sn_assert_contains "$err" "$2" "$3: message"
    sn_log "$3: rejected, exit $rc, peak RSS $((rss / 1024)) MiB"
}

sn_log "paths outside the store"
doc() { printf '[{"path":"%s","references":[]}]' "$1" >"$t/doc.json"; }
doc /etc/passwd
rejected "$t/doc.json" '"/etc/passwd" is not a store path under /nix/store' "absolute path elsewhere"
doc "/nix/store/$h-x/../../../etc/passwd"
rejected "$t/doc.json" "\"/nix/store/$h-x/../../../etc/passwd\" is not directly under" "path with .."
doc "/nix/store/../etc"
rejected "$t/doc.json" '/nix/store/../etc' "store directory's parent"
doc "nix/store/$h-x"
rejected "$t/doc.json" "nix/store/$h-x" "relative path"
doc "/nix/store/$h-x\\u0000y"
rejected "$t/doc.json" 'u0000 is not allowed' "NUL byte"
doc "/nix/store/$h-x\\ny"
rejected "$t/doc.json" '\x0a' "newline, escaped in the message"
printf '[{"path":"/nix/store/%s-x","references":["/etc/passwd"]}]' "$h" >"$t/doc.json"
rejected "$t/doc.json" '/etc/passwd' "reference outside the store"
printf '{"version":2,"storeDir":"/tmp/store","info":{"%s-x":{"references":[]}}}' "$h" >"$t/doc.json"
rejected "$t/doc.json" '/tmp/store' "another store directory"

sn_log "10^6 entries (keyed form, just under the size limit)"
python3 - "$t/many.json" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("{" + ",".join('"/nix/store/%032d-n":{"references":[]}' % i for i in range(10**6)) + "}")
PY
rejected "$t/many.json" "more than 262144 store paths" "10^6 entries"
sn_assert_eq 1 "$(( rss < 200 * 1024 ))" "10^6 entries: refused before parsing (peak RSS $rss KiB; parsing it took 626 MiB)"
rm -f "$t/many.json"

sn_log "nested a million levels deep"
python3 -c 'import sys; sys.stdout.write("[" * 10**6 + "]" * 10**6)' >"$t/deep.json"
rejected "$t/deep.json" "nests deeper than 32 levels" "deep arrays"
python3 -c 'import sys; sys.stdout.write("{\"a\":" * 10**6 + "1" + "}" * 10**6)' >"$t/deep.json"
rejected "$t/deep.json" "nests deeper than 32 levels" "deep objects"

sn_log "a document over the size limit (64 MiB) is refused before parsing"
python3 - "$t/huge.json" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('[{"path":"/nix/store/%s-x","references":[],"pad":"' % ("0" * 32))
    f.write("x" * (65 << 20))
    f.write('"}]')
PY
rejected "$t/huge.json" "MiB" "65 MiB document"
sn_assert_eq 1 "$(( rss < 200 * 1024 ))" "65 MiB document: not read whole (peak RSS $rss KiB)"
echo ok
