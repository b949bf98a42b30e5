# squashnix for one nixpkgs instance (one system): the packages, and mkAppImage and the `nix bundle`
# function with that system's squashnix, runtime and entry filled in, so that a bundle built for a
# system carries the runtime and entry of that system.
{
  pkgs,
  src ? import ./source.nix,
  version ? import ./version.nix,
}:
let
  static = part: pkgs.pkgsStatic.callPackage ./static.nix { inherit part src version; };
  runtime = static "runtime";
  entry = static "entry";
  squashnix = pkgs.callPackage ./package.nix { inherit runtime entry src version; };
  tools = {
    inherit squashnix;
    runtime = "${runtime}/lib/squashnix/runtime";
    entry = "${entry}/lib/squashnix/AppRun";
    system = pkgs.stdenv.hostPlatform.system;
  };
in
{
  inherit squashnix runtime entry;
  mkAppImage = args: import ./mk-appimage.nix (tools // args);
  bundler = import ./bundler.nix tools;
}
