#!/usr/bin/env bash
# The README's first command (`sudo make demo`): build squashnix, build a small demo package with
# the local Nix (a dynamically linked program whose library and libc live in other store paths),
# bundle it, and run the bundle: once as is, once as on a machine without Nix (/nix hidden).
. "$(dirname "$0")/integration/lib.sh"
sn_require_root
out=$(sn_fixture_demo)
echo "demo package: $out"
echo "its closure:"
nix-store -qR "$out" | sed 's/^/  /'
bundle=$SN_BUILD/demo-hello.AppImage
"$SN_BUILD/squashnix" -o "$bundle" "$out"
echo "bundle: $bundle ($(stat -c %s "$bundle") bytes)"
echo "running it:"
"$bundle" "squashnix user"
echo "running it with /nix hidden, as on a machine without Nix:"
sn_without_nix "$bundle" "machine without Nix"
