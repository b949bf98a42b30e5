# mkAppImage with the squashnix, runtime and entry built here (build/), for the integration tests:
# the local Nix builds it offline, with no nixpkgs.
#   squashnix   a directory holding bin/squashnix (a copy of build/squashnix)
#   runtime     build/runtime;  entry: build/AppRun
#   fixtureSrc  the demo fixture's sources (tests/integration/lib.sh: sn_fixture_src)
{
  squashnix,
  runtime,
  entry,
  fixtureSrc,
}:
let
  tools = { inherit squashnix runtime entry; };
in
rec {
  # The demo closure: bin/demo-hello, linked against demo-greet and demo-glibc.
  fixture = import ../fixtures/demo.nix { src = fixtureSrc; };

  # mkAppImage with the local tools filled in.
  mkAppImage = args: import ../../nix/mk-appimage.nix (tools // args);

  # What `nix bundle` calls.
  bundler = import ../../nix/bundler.nix tools;

  bundle = mkAppImage { program = fixture; };
}
