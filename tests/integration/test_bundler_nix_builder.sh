#!/usr/bin/env bash
# squashnix --nix-builder, as Nix runs it: options from .attrs.json (in the working directory, or
# named by NIX_ATTRS_JSON_FILE), the closure under "closure" in exportReferencesGraph's form, the
# file written at outputs.out; unknown keys and wrong types rejected with nothing written. Then a
# real derivation built by the local Nix with squashnix as its builder.
. "$(dirname "$0")/lib.sh"
sn_require_root

demo=$(sn_fixture_demo)
tmp=$(sn_tmpdir)
build=$tmp/build
mkdir -p "$build" "$tmp/out"
closure=$(nix "${SN_NIX_OPTS[@]}" path-info --json --recursive "$demo")

# Writes .attrs.json for output OUT with the "squashnix" object SQUASHNIX (JSON text).
attrs() { # FILE OUT SQUASHNIX
    python3 - "$1" "$2" "$3" "$closure" <<'PY'
import json, sys
path, out, opts, closure = sys.argv[1:]
json.dump({"closure": json.loads(closure), "outputs": {"out": out}, "squashnix": json.loads(opts),
           "name": "demo.AppImage", "system": "x86_64-linux"}, open(path, "w"), indent=2)
PY
}
opts='{"program": "'$demo'/bin/demo-hello", "runtime": "'$SN_BUILD'/runtime", "entry": "'$SN_BUILD'/AppRun",
       "compression": "xz", "level": null, "blockSize": 262144, "exclude": ["*/share/doc/*"],
       "updateInfo": "gh-releases-zsync|me|demo|latest|demo-*.AppImage.zsync", "desktopFile": null,
       "icon": null, "extraArgs": ["--verbose"]}'

attrs "$build/.attrs.json" "$tmp/out/demo.AppImage" "$opts"
log=$(cd "$build" && env -i PATH=/path-not-set HOME=/homeless-shelter NIX_BUILD_CORES=2 \
    "$SN_BUILD/squashnix" --nix-builder 2>&1) || sn_fail "--nix-builder failed: $log"
sn_assert_contains "$log" "squashnix: wrote $tmp/out/demo.AppImage" "summary line"
sn_assert_contains "$log" "/entrypoint <- $demo/bin/demo-hello" "extraArgs --verbose listing"
info=$("$SN_BUILD/squashnix" inspect "$tmp/out/demo.AppImage") || sn_fail "inspect: $info"
sn_assert_contains "$info" "compression: xz, block size 262144" "compression and block size"
sn_assert_contains "$info" "update info: gh-releases-zsync|me|demo|latest|demo-*.AppImage.zsync" "update info"
sn_assert_contains "$info" "(matches)" "digest"
sn_assert_contains "$info" "program:     $demo/bin/demo-hello" "program"
mnt=$(sn_mount_image "$tmp/out/demo.AppImage" "$(stat -c %s "$SN_BUILD/runtime")")
[ ! -e "$mnt$demo/share/doc/demo-hello/README" ] || sn_fail "exclude from .attrs.json not applied"
[ -x "$mnt$demo/bin/demo-hello" ] || sn_fail "program missing"

# NIX_ATTRS_JSON_FILE wins over ./.attrs.json; the result is the same file.
attrs "$tmp/elsewhere.json" "$tmp/out/again.AppImage" "$opts"
(cd "$tmp" && NIX_ATTRS_JSON_FILE=$tmp/elsewhere.json "$SN_BUILD/squashnix" --nix-builder 2>/dev/null) ||
    sn_fail "--nix-builder with NIX_ATTRS_JSON_FILE failed"
cmp "$tmp/out/demo.AppImage" "$tmp/out/again.AppImage" || sn_fail "same attributes, different files"

# Errors: a typo in a key, a wrong type, a missing required key; nothing written.
prog='"program": "'$demo'/bin/demo-hello"'
bads=("{$prog, \"runtime\": \"r\", \"entry\": \"e\", \"compresion\": \"xz\"}"
    "{$prog, \"runtime\": \"r\", \"entry\": \"e\", \"level\": \"9\"}"
    '{"runtime": "r", "entry": "e"}'
    "{$prog, \"runtime\": \"$SN_BUILD/runtime\", \"entry\": \"$SN_BUILD/AppRun\", \"extraArgs\": [\"--dry-run\"]}")
whys=("unknown key squashnix.compresion" "squashnix.level must be an integer or null"
    "squashnix.program is required" "may not change the mode")
for i in "${!bads[@]}"; do
    attrs "$build/.attrs.json" "$tmp/out/bad.AppImage" "${bads[i]}"
    rc=0
    msg=$(cd "$build" && "$SN_BUILD/squashnix" --nix-builder 2>&1) || rc=$?
    sn_assert_eq 1 "$rc" "exit status for ${bads[i]}"
    sn_assert_contains "$msg" "${whys[i]}" "message for ${bads[i]}"
    [ ! -e "$tmp/out/bad.AppImage" ] || sn_fail "output written despite ${whys[i]}"
done
sn_assert_eq "again.AppImage demo.AppImage" "$(ls -A "$tmp/out" | tr '\n' ' ' | sed 's/ $//')" "files in the output directory"

# A real derivation: squashnix (copied into the store) is the builder, Nix writes .attrs.json.
sn_store=$(nix-store --add "$SN_BUILD/squashnix")
rt_store=$(nix-store --add "$SN_BUILD/runtime")
entry_store=$(nix-store --add "$SN_BUILD/AppRun")
cat >"$tmp/bundle.nix" <<NIX
derivation {
  name = "demo-hello.AppImage";
  system = builtins.currentSystem;
  builder = builtins.storePath $sn_store;
  args = [ "--nix-builder" ];
  __structuredAttrs = true;
  exportReferencesGraph.closure = [ (builtins.storePath $demo) ];
  outputs = [ "out" ];
  squashnix = {
    program = "$demo/bin/demo-hello";
    runtime = builtins.storePath $rt_store;
    entry = builtins.storePath $entry_store;
    compression = null; level = null; blockSize = null; exclude = [ ]; updateInfo = null;
    desktopFile = null; icon = null; extraArgs = [ ];
  };
}
NIX
result=$(nix-build "${SN_NIX_OPTS[@]}" --no-out-link "$tmp/bundle.nix" 2>"$tmp/nix.log") ||
    sn_fail "nix-build with squashnix as builder failed: $(tail -20 "$tmp/nix.log")"
info=$("$SN_BUILD/squashnix" inspect "$result") || sn_fail "inspect of the Nix-built bundle: $info"
sn_assert_contains "$info" "(matches)" "digest of the Nix-built bundle"
sn_assert_contains "$info" "closure:     3 store paths" "closure of the Nix-built bundle"
nix-build "${SN_NIX_OPTS[@]}" --no-out-link --check "$tmp/bundle.nix" 2>"$tmp/check.log" >/dev/null ||
    sn_fail "the Nix-built bundle is not reproducible (nix-build --check): $(tail -5 "$tmp/check.log")"
echo ok
