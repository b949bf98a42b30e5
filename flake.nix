# squashnix: a Nix package as one AppImage file that runs without Nix.
#
#   nix bundle --bundler github:squashnix/squashnix nixpkgs#hello     # ./hello-2.12.2.AppImage
#   nix build .#squashnix                                              # the command-line tool
#   lib.<system>.mkAppImage { program = pkgs.hello; compression = "xz"; }
#
# Every output is a thin layer over the plain Nix functions in nix/ (usable without flakes).
{
  description = "squashnix: turn a Nix package into one AppImage file that runs without Nix";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.11";

  outputs =
    { self, nixpkgs }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      eachSystem = nixpkgs.lib.genAttrs systems;
      pkgsFor = system: nixpkgs.legacyPackages.${system};
      # Per system: the packages; mkAppImage and the bundler with that system's runtime and entry.
      parts = eachSystem (system: import ./nix/packages.nix { pkgs = pkgsFor system; });
    in
    {
      packages = eachSystem (system: {
        inherit (parts.${system}) squashnix runtime entry;
        default = parts.${system}.squashnix;
      });

      bundlers = eachSystem (system: {
        default = parts.${system}.bundler;
        appimage = parts.${system}.bundler;
      });

      lib = eachSystem (system: {
        inherit (parts.${system}) mkAppImage;
      });

      overlays.default =
        final: prev:
        let
          p = import ./nix/packages.nix { pkgs = final; };
        in
        {
          squashnix = p.squashnix;
          squashnix-runtime = p.runtime;
          squashnix-entry = p.entry;
          mkAppImage = p.mkAppImage;
        };

      devShells = eachSystem (system: {
        default = import ./nix/shell.nix {
          pkgs = pkgsFor system;
          inherit (parts.${system}) squashnix;
        };
      });

      formatter = eachSystem (system: (pkgsFor system).nixfmt);

      checks = eachSystem (
        system: import ./nix/checks.nix ({ pkgs = pkgsFor system; } // parts.${system})
      );
    };
}
