# The flake's checks for one system: the unit tests (the package's check phase), the runtime and the
# entry carry no store path, and a bundle of GNU hello runs where /nix is hidden.
{
  pkgs,
  squashnix,
  runtime,
  entry,
  mkAppImage,
  ...
}:
let
  storeDir = builtins.storeDir;
  hello = mkAppImage { program = pkgs.hello; };
in
{
  unit = squashnix;

  no-store-path = pkgs.runCommand "squashnix-check-no-store-path" { } ''
    for f in ${runtime}/lib/squashnix/runtime ${entry}/lib/squashnix/AppRun; do
      if strings -a "$f" | grep -F "${storeDir}/"; then
        echo "$f carries the store paths above: it would fail on hosts without them" >&2
        exit 1
      fi
    done
    touch $out
  '';

  # In the build sandbox: a user namespace (root inside) hides /nix under a tmpfs before the bundle
  # starts. No FUSE device there, no squashfs mount as a namespace root: the runtime extracts.
  bundle-hello =
    pkgs.runCommand "squashnix-check-bundle-hello" { nativeBuildInputs = [ pkgs.util-linux ]; }
      ''
        install -m 0755 ${hello} ./hello.AppImage
        APPIMAGE_EXTRACT_AND_RUN=1 unshare --user --map-root-user --mount -- \
          sh -c 'mount -t tmpfs none ${dirOf storeDir} && exec ./hello.AppImage' >output 2>&1 || {
          cat output >&2
          exit 1
        }
        grep -qx 'Hello, world!' output || {
          echo "unexpected output from the bundle of hello:" >&2
          cat output >&2
          exit 1
        }
        cp output $out
      '';
}
