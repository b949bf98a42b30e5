# Test flake for tests/integration/test_nix_flake.sh: `nix bundle --bundler path:THIS#appimage
# path:THIS#fixture` with the local Nix 2.8, offline and without nixpkgs.
#
# The bundler comes from the repository's nix/ (the `squashnix` input); the binaries it runs come
# from ./local, where the test copies this build's squashnix (local/squashnix/bin/squashnix),
# runtime and AppRun, and the demo fixture's sources (local/fixture-src). Nix 2.8 cannot resolve a
# relative path input of a `path:` flake by itself ("points outside of its parent's store path"), so
# the test writes flake.lock, pinning the input to a copy of the repository's Nix files.
{
  description = "squashnix test flake: the nix/ bundler with locally built binaries";

  inputs.squashnix = {
    url = "path:../..";
    flake = false;
  };

  outputs =
    { self, squashnix }:
    let
      system = "x86_64-linux";
      tools = {
        squashnix = ./local/squashnix;
        runtime = ./local/runtime;
        entry = ./local/AppRun;
        inherit system;
      };
      bundler = import "${squashnix}/nix/bundler.nix" tools;
      # The fixture reads builtins.currentSystem, which pure (flake) evaluation does not have.
      demo = scopedImport {
        builtins = builtins // {
          currentSystem = system;
        };
      } "${squashnix}/tests/fixtures/demo.nix";
    in
    {
      bundlers.${system} = {
        default = bundler;
        appimage = bundler;
      };
      packages.${system}.fixture = demo { src = ./local/fixture-src; };
      apps.${system}.fixture-app = {
        type = "app";
        program = "${self.packages.${system}.fixture}/bin/demo-hello";
      };
    };
}
