#!/usr/bin/env bash
# nix/mk-appimage.nix built by the local Nix, offline, with this build's squashnix (the builder
# itself), runtime and entry: the bundle of the demo closure runs where /nix is empty (as root and as
# a user), rebuilding it gives the same bytes (nix-build --check), the build needs nothing but
# squashnix, the runtime, the entry and the closure (no stdenv, no shell), and options reach
# squashnix as JSON words, unquoted.
. "$(dirname "$0")/lib.sh"
sn_require_root

sn_tmpdir_into tmp
sn_nix_local_args "$tmp"
fixture=$(sn_fixture_demo)

sn_log "nix-build mkAppImage { program = fixture; }"
bundle_link=$tmp/bundle
nix-build "${SN_NIX_OPTS[@]}" -E "($SN_NIX_LOCAL).bundle" -o "$bundle_link" >"$tmp/build.out" 2>&1 ||
    sn_fail "nix-build of the bundle failed: $(cat "$tmp/build.out")"
bundle=$(readlink "$bundle_link")
sn_assert_contains "$bundle" "-demo-hello-1.0.AppImage" "default name: <store path name>.AppImage"
[ -f "$bundle" ] || sn_fail "the output $bundle is not a regular file"
sn_assert_eq 555 "$(stat -c %a "$bundle")" "mode of the output file"
sn_assert_eq "7f454c46" "$(od -An -tx1 -N4 "$bundle" | tr -d ' ')" "ELF magic"
sn_assert_eq "414902" "$(od -An -tx1 -j8 -N3 "$bundle" | tr -d ' ')" "AppImage type 2 magic at offset 8"

sn_log "the output refers to no store path: copying it (nix copy, a cache) does not drag the closure"
sn_assert_eq "" "$(nix-store --query --references "$bundle")" "references of the bundle"

sn_log "the build's inputs: squashnix, runtime, entry and the closure's derivations, nothing else"
drv=$(nix-store --query --deriver "$bundle")
inputs=$(nix-store --query --requisites "$drv" | sed 's|^/nix/store/[a-z0-9]*-||' | LC_ALL=C sort | tr '\n' ' ')
sn_assert_eq "demo-glibc-2.36.drv demo-greet-1.0.drv demo-hello-1.0.AppImage.drv demo-hello-1.0.drv squashnix squashnix-entry squashnix-fixture-src squashnix-runtime " \
    "$inputs" "store paths the bundle's derivation depends on (no stdenv, no shell, no mksquashfs)"

sn_log "the image holds the closure and the entrypoint"
offset=$(stat -c %s "$SN_BUILD/runtime")
sn_mount_image_into mnt "$bundle" "$offset"
for p in $(nix-store --query --requisites "$fixture"); do
    [ -e "$mnt$p" ] || sn_fail "closure path $p is missing from the image"
done
sn_assert_eq "$fixture/bin/demo-hello" "$(readlink "$mnt/entrypoint")" "entrypoint"

sn_log "runs with /nix hidden, as root and as a user (a copy: the output is in /nix/store)"
install -m 0755 "$bundle" "$tmp/demo.AppImage"
out=$(sn_without_nix "$tmp/demo.AppImage" Nix 2>&1) || sn_fail "the bundle failed as root with /nix hidden: $out"
sn_assert_eq "Hello, Nix!" "$out" "output as root with /nix hidden"
sn_allow_user_fuse
out=$(sn_without_nix --user "$tmp/demo.AppImage" user 2>&1) || sn_fail "the bundle failed as a user with /nix hidden: $out"
sn_assert_eq "Hello, user!" "$out" "output as a user with /nix hidden"

sn_log "nix-build --check: a rebuild gives the same bytes"
nix-build "${SN_NIX_OPTS[@]}" -E "($SN_NIX_LOCAL).bundle" --no-out-link --check \
    >"$tmp/check.out" 2>&1 || sn_fail "nix-build --check found a difference: $(cat "$tmp/check.out")"

sn_log "options arrive as JSON: name, compression, blockSize, exclude, desktopFile, icon, updateInfo"
# Update information with spaces, | and $: passed as one JSON string, never through a shell.
update_info='zsync|https://example.org/demo hello/$HOME/demo*.zsync'
printf '[Desktop Entry]\nType=Application\nName=Demo Hello\nExec=demo-hello\nIcon=demo-hello\nCategories=Utility;\n' \
    >"$tmp/demo.desktop"
# A 1x1 PNG.
printf '%s' iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg== |
    base64 -d >"$tmp/demo-hello.png"
nix-build "${SN_NIX_OPTS[@]}" -o "$tmp/opts" --argstr updateInfo "$update_info" -E "
  { updateInfo }:
  let l = $SN_NIX_LOCAL;
  in l.mkAppImage {
    program = l.fixture;
    name = \"demo-options\";
    compression = \"xz\";
    blockSize = 262144;
    exclude = [ \"*/README\" ];
    desktopFile = $tmp/demo.desktop;
    icon = $tmp/demo-hello.png;
    inherit updateInfo;
  }" >"$tmp/opts.out" 2>&1 || sn_fail "nix-build with options failed: $(cat "$tmp/opts.out")"
opts=$(readlink "$tmp/opts")
sn_assert_contains "$opts" "-demo-options" "the name option"
sn_mount_image_into mnt2 "$opts" "$offset"
[ -e "$mnt2$fixture/bin/demo-hello" ] || sn_fail "bin/demo-hello missing from the image with options"
[ ! -e "$mnt2$fixture/share/doc/demo-hello/README" ] || sn_fail "exclude = [ \"*/README\" ] did not exclude the README"
superblock=$(unsquashfs -s -o "$offset" "$opts" 2>&1)
sn_assert_contains "$superblock" "Compression xz" "compression = \"xz\""
sn_assert_contains "$superblock" "Block size 262144" "blockSize = 262144"
cmp "$tmp/demo.desktop" "$mnt2/demo.desktop" || sn_fail "desktopFile: no demo.desktop, as given, at the image root"
cmp "$tmp/demo-hello.png" "$mnt2/demo-hello.png" || sn_fail "icon: no demo-hello.png, as given, at the image root"
objcopy -O binary --only-section=.upd_info "$opts" "$tmp/upd_info"
sn_assert_eq "$update_info" "$(tr -d '\0' <"$tmp/upd_info")" "the .upd_info section"
install -m 0755 "$opts" "$tmp/opts.AppImage"
out=$(sn_without_nix "$tmp/opts.AppImage" 2>&1) || sn_fail "the bundle with options failed: $out"
sn_assert_eq "Hello, world!" "$out" "output of the bundle with options"
