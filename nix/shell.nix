# The development shell: the compiler, the libraries the Makefile finds with pkg-config, and the
# tools the tests use (Nix, busybox, patchelf, squashfs-tools(-ng), squashfuse, bubblewrap...).
# The static runtime and entry need static libraries: `nix build .#runtime .#entry` builds them.
{ pkgs }:
pkgs.mkShell {
  packages = with pkgs; [
    gnumake
    pkg-config
    libarchive
    jansson
    zstd
    xz
    zlib
    lz4
    lzo
    fuse3
    squashfuse
    cmocka
    clang-tools
    nix
    pkgsStatic.busybox
    patchelf
    squashfsTools
    squashfs-tools-ng
    bubblewrap
    util-linux
    procps
    psmisc
    file
    git
    python3
  ];
}
