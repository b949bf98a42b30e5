# The development shell: the squashnix package's build inputs (compiler, pkg-config, the libraries
# the Makefile finds, cmocka) plus the tools the tests use (Nix, busybox, patchelf,
# squashfs-tools(-ng), squashfuse, bubblewrap...). The static runtime and entry need static
# libraries: `nix build .#runtime .#entry` builds them.
{ pkgs, squashnix }:
pkgs.mkShell {
  inputsFrom = [ squashnix ];
  packages = with pkgs; [
    gnumake
    cmocka
    clang-tools
    nix
    pkgsStatic.busybox
    patchelf
    squashfsTools
    squashfs-tools-ng
    squashfuse
    bubblewrap
    util-linux
    procps
    psmisc
    file
    git
    python3
  ];
}
