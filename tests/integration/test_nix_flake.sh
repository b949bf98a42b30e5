#!/usr/bin/env bash
# The flakes: every Nix file parses, flake.lock pins nixpkgs, and `nix bundle --bundler
# path:TESTFLAKE#appimage path:TESTFLAKE#fixture` (tests/nix/flake.nix: the nix/ bundler with this
# build's binaries) produces a bundle that runs where /nix is empty.
. "$(dirname "$0")/lib.sh"
sn_require_root

sn_log "nix-instantiate --parse: flake.nix, nix/*.nix, tests/nix/*.nix"
for f in "$SN_ROOT"/flake.nix "$SN_ROOT"/nix/*.nix "$SN_ROOT"/tests/nix/*.nix; do
    out=$(nix-instantiate --parse "$f" 2>&1) || sn_fail "$f does not parse: $out"
done

sn_log "flake.lock pins nixpkgs (nixos-25.11) by rev and narHash"
python3 - "$SN_ROOT/flake.lock" <<'EOF' || sn_fail "flake.lock does not pin nixpkgs as expected"
import json, sys
lock = json.load(open(sys.argv[1]))
assert lock["version"] == 7, lock["version"]
node = lock["nodes"][lock["nodes"][lock["root"]]["inputs"]["nixpkgs"]]
locked, original = node["locked"], node["original"]
assert locked["type"] == "github" and locked["owner"] == "NixOS" and locked["repo"] == "nixpkgs", locked
assert len(locked["rev"]) == 40 and locked["narHash"].startswith("sha256-"), locked
assert original["ref"] == "nixos-25.11", original
EOF

sn_tmpdir_into tmp
flake=$tmp/flake
repo=$tmp/repo
mkdir -p "$flake/local" "$repo/tests" "$tmp/work"

# The repository's Nix files, which the test flake's `squashnix` input (path:../..) stands for.
cp -r "$SN_ROOT/nix" "$repo/nix"
cp -r "$SN_ROOT/tests/fixtures" "$repo/tests/fixtures"

# The test flake, with this build's binaries and the fixture's sources in local/.
cp "$SN_ROOT/tests/nix/flake.nix" "$flake/flake.nix"
sn_nix_local_args "$flake/local"
cp "$SN_BUILD/runtime" "$SN_BUILD/AppRun" "$flake/local/"
cp -r "$(sn_fixture_src)" "$flake/local/fixture-src"

# Nix 2.8 resolves no relative path input of a path: flake; a lock pins it, as `nix flake lock`
# would where it can.
nar_hash=$(nix --extra-experimental-features nix-command hash path "$repo")
cat >"$flake/flake.lock" <<EOF
{
  "nodes": {
    "root": { "inputs": { "squashnix": "squashnix" } },
    "squashnix": {
      "flake": false,
      "locked": { "narHash": "$nar_hash", "path": "$repo", "type": "path" },
      "original": { "path": "../..", "type": "path" }
    }
  },
  "root": "root",
  "version": 7
}
EOF

sn_log "nix bundle --bundler path:$flake#appimage path:$flake#fixture"
fixture=$(sn_fixture_demo)
(cd "$tmp/work" && nix "${SN_NIX_OPTS[@]}" bundle --bundler "path:$flake#appimage" "path:$flake#fixture") \
    >"$tmp/bundle.out" 2>&1 || sn_fail "nix bundle failed: $(cat "$tmp/bundle.out")"
link=$tmp/work/demo-hello-1.0.AppImage
[ -L "$link" ] || sn_fail "nix bundle made no link ./demo-hello-1.0.AppImage: $(ls -l "$tmp/work")"
bundle=$(readlink "$link")
[ -f "$bundle" ] || sn_fail "$bundle is not a file"

sn_log "the bundle holds the fixture's closure (the same store paths as sn_fixture_demo's)"
sn_mount_image_into mnt "$bundle" "$(stat -c %s "$SN_BUILD/runtime")"
sn_assert_eq "$fixture/bin/demo-hello" "$(readlink "$mnt/entrypoint")" "entrypoint"
for p in $(nix-store --query --requisites "$fixture"); do
    [ -e "$mnt$p" ] || sn_fail "closure path $p is missing from the bundle"
done

sn_log "the bundle runs with /nix hidden (a copy: the link points into /nix/store)"
cp "$bundle" "$tmp/work/demo.AppImage"
out=$(cd "$tmp/work" && sn_without_nix ./demo.AppImage flake 2>&1) || sn_fail "the bundle failed with /nix hidden: $out"
sn_assert_eq "Hello, flake!" "$out" "output with /nix hidden"

# Nix 2.8 hands the bundler an app's program as a string without context (the derivation differs:
# the fixture is an input source there, not a derivation output); the file must not.
sn_log "an app installable (apps.<system>.fixture-app) gives the same file"
(cd "$tmp/work" && nix "${SN_NIX_OPTS[@]}" bundle -o app --bundler "path:$flake#appimage" "path:$flake#fixture-app") \
    >"$tmp/app.out" 2>&1 || sn_fail "nix bundle of the app failed: $(cat "$tmp/app.out")"
cmp "$bundle" "$(readlink "$tmp/work/app")" || sn_fail "the bundles of the app and of the package differ"
