#!/usr/bin/env bash
# mkAppImage { zsync = true; sha256 = true; } built by the local Nix: the bundle stays the first
# output ("out"), and the outputs "zsync" and "sha256" are directories holding <name>.zsync and
# <name>.sha256 that name the bundle by the derivation's name (the name it is published under):
# the .zsync is byte-identical to what Debian's zsyncmake writes for the store file copied under
# that name (MTime: the store's time, 1), sha256sum -c accepts the .sha256 beside such a copy, and
# nix-build --check rebuilds all three outputs bit for bit. A non-boolean zsync fails at
# evaluation naming the argument.
. "$(dirname "$0")/lib.sh"
sn_require_root

sn_tmpdir_into tmp
sn_nix_local_args "$tmp"
name=demo-1.0-x86_64.AppImage
expr="let l = $SN_NIX_LOCAL; in l.mkAppImage { program = l.fixture; name = \"$name\"; zsync = true; sha256 = true; }"

sn_log "nix-build mkAppImage { zsync = true; sha256 = true; }"
nix-build "${SN_NIX_OPTS[@]}" -E "$expr" -o "$tmp/result" >"$tmp/build.out" 2>&1 ||
    sn_fail "nix-build failed: $(cat "$tmp/build.out")"
# nix-build links the first output only; the others are attributes of it.
# (With -o LINK, nix-build names the link of an output o other than out LINK-o.)
nix-build "${SN_NIX_OPTS[@]}" -E "($expr).zsync" -o "$tmp/result" >"$tmp/build.out" 2>&1 ||
    sn_fail "nix-build of the zsync output failed: $(cat "$tmp/build.out")"
nix-build "${SN_NIX_OPTS[@]}" -E "($expr).sha256" -o "$tmp/result" >"$tmp/build.out" 2>&1 ||
    sn_fail "nix-build of the sha256 output failed: $(cat "$tmp/build.out")"
bundle=$(readlink "$tmp/result")
zdir=$(readlink "$tmp/result-zsync") || sn_fail "no result-zsync link"
sdir=$(readlink "$tmp/result-sha256") || sn_fail "no result-sha256 link"
[ -f "$bundle" ] || sn_fail "out ($bundle) is not the bundle file"
sn_assert_contains "$bundle" "-$name" "out is named after the derivation"
sn_assert_eq "$name.zsync" "$(ls "$zdir")" "contents of the zsync output"
sn_assert_eq "$name.sha256" "$(ls "$sdir")" "contents of the sha256 output"

sn_log "the .zsync is zsyncmake's for the bundle published as $name"
mkdir "$tmp/pub"
cp -p "$bundle" "$tmp/pub/$name"
sn_assert_eq 1 "$(stat -c %Y "$tmp/pub/$name")" "the store's modification time"
(cd "$tmp/pub" && zsyncmake -u "$name" -o ref.zsync "$name" 2>/dev/null) || sn_fail "zsyncmake failed"
cmp "$tmp/pub/ref.zsync" "$zdir/$name.zsync" || sn_fail "the zsync output differs from zsyncmake's"
cp "$sdir/$name.sha256" "$tmp/pub/"
(cd "$tmp/pub" && sha256sum -c --status "$name.sha256") || sn_fail "sha256sum -c rejects the sha256 output"

sn_log "nix-build --check: all outputs rebuild bit for bit"
nix-build "${SN_NIX_OPTS[@]}" -E "$expr" --no-out-link --check >"$tmp/check.out" 2>&1 ||
    sn_fail "nix-build --check found a difference: $(cat "$tmp/check.out")"

sn_log "zsync = \"yes\" fails at evaluation, naming the argument"
set +e
nix-instantiate "${SN_NIX_OPTS[@]}" -E "let l = $SN_NIX_LOCAL; in l.mkAppImage { program = l.fixture; zsync = \"yes\"; }" \
    >/dev/null 2>"$tmp/eval.err"
status=$?
set -e
[ "$status" -ne 0 ] || sn_fail "zsync = \"yes\" was accepted"
sn_assert_contains "$(cat "$tmp/eval.err")" 'mkAppImage: `zsync` must be true or false' "message for zsync = \"yes\""
echo "PASS test_nix_release"
