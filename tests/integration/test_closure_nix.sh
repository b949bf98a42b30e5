#!/usr/bin/env bash
# The closure reader and the Nix query against the real local Nix: the demo fixture's closure read
# through nix_path_info (`nix path-info --json --recursive`) and from the .attrs.json a real
# derivation gets from exportReferencesGraph must both equal what nix-store says about the store
# (paths, references, NAR sizes); a path that is not valid and a missing nix give clear errors.
. "$(dirname "$0")/lib.sh"
sn_require_root

dump=$SN_BUILD/tools/closure-dump
[ -x "$dump" ] || sn_fail "$dump missing (make all builds tests/tools/)"
tmp=$(sn_tmpdir)
export NIX_CONFIG='substituters =' # offline: no retries against the binary cache

demo=$(sn_fixture_demo)

# What the store itself says, in closure-dump's format.
expected() {
    local p r
    while read -r p; do
        printf '%s %s\n' "$p" "$(nix-store -q --size "$p")"
        for r in $(nix-store -q --references "$p" | sort); do printf '  -> %s\n' "$r"; done
    done < <(nix-store -qR "$1" | LC_ALL=C sort)
    printf 'count %s\n' "$(nix-store -qR "$1" | wc -l)"
}
expected "$demo" >"$tmp/expected"
sn_assert_eq 3 "$(grep -c '^/nix/store/' "$tmp/expected")" "demo closure size per nix-store -qR"

sn_log "nix_path_info + closure_parse on $demo"
"$dump" --nix "$demo" >"$tmp/nix.out" || sn_fail "closure-dump --nix $demo failed"
sn_assert_eq "$(cat "$tmp/expected")" "$(grep -v '^nar-total' "$tmp/nix.out")" "closure via nix path-info"
total=0
while read -r p s; do total=$((total + s)); done < <(grep '^/nix/store/' "$tmp/expected")
sn_assert_eq "nar-total $total" "$(tail -n 1 "$tmp/nix.out")" "total NAR size"

sn_log "a symlink to the store path (a ./result link) reads the same"
ln -s "$demo" "$tmp/result"
sn_assert_eq "$(cat "$tmp/nix.out")" "$("$dump" --nix "$tmp/result")" "closure via ./result"

sn_log ".attrs.json from a derivation with exportReferencesGraph"
attrs=$(nix-build "${SN_NIX_OPTS[@]}" --no-out-link "$SN_ROOT/tests/fixtures/closure-attrs.nix" \
    --arg src "$(sn_fixture_src)" --argstr target "$demo" 2>"$tmp/build.log") ||
    sn_fail "building the .attrs.json fixture failed: $(cat "$tmp/build.log")"
sn_assert_eq "$(cat "$tmp/nix.out")" "$("$dump" "$attrs" closure)" "closure via .attrs.json"
out=$("$dump" "$attrs" nosuchkey 2>&1) && sn_fail "an absent exportReferencesGraph key was accepted"
sn_assert_contains "$out" 'no key "nosuchkey"' "message for an absent key"

sn_log "the raw path-info document parses the same from a file"
"$dump" --raw-nix "$demo" >"$tmp/path-info.json"
sn_assert_eq "$(cat "$tmp/nix.out")" "$("$dump" "$tmp/path-info.json")" "closure via a --closure file"

sn_log "a path that is not in the store"
absent=/nix/store/00000000000000000000000000000000-squashnix-absent
out=$("$dump" --nix "$demo" "$absent" 2>&1) && sn_fail "a path that is not valid was accepted"
sn_assert_contains "$out" "error: path '$absent' is not valid" "nix's own message"
sn_assert_contains "$out" "nix-store --realise" "what to do"

sn_log "no nix in PATH"
out=$(PATH=/nonexistent "$dump" --nix "$demo" 2>&1) && sn_fail "ran without nix in PATH"
sn_assert_contains "$out" "nix not found in PATH: install Nix, or pass --closure FILE" "message without nix"

sn_log "a store path whose reference is missing from the document is refused"
# Nix 2.8 prints one line, entries without nested objects: cut demo-greet's entry.
sed 's/{"path":"[^"]*demo-greet[^}]*},\?//' "$tmp/path-info.json" >"$tmp/open.json"
sn_assert_eq 2 "$(grep -o '"path":' "$tmp/open.json" | wc -l)" "entries left after cutting demo-greet"
out=$("$dump" "$tmp/open.json" 2>&1) && sn_fail "an open closure was accepted"
sn_assert_contains "$out" "which is not in the closure" "message for an open closure"
echo "ok"
