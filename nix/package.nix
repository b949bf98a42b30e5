# The squashnix package (`pkgs.callPackage ./package.nix { runtime = ...; entry = ...; }`): the
# bundler built with the Makefile, its unit tests run as the check phase, and the static runtime
# and entry of the same system installed where squashnix looks for them by default
# ($out/lib/squashnix, the Makefile's LIBDIR).
{
  lib,
  stdenv,
  pkg-config,
  libarchive,
  jansson,
  zstd,
  xz,
  zlib,
  lz4,
  lzo,
  fuse3,
  squashfuse,
  cmocka,
  runtime,
  entry,
  src ? import ./source.nix,
  version ? import ./version.nix,
}:
stdenv.mkDerivation {
  pname = "squashnix";
  inherit version src;

  nativeBuildInputs = [ pkg-config ];
  # fuse3 and squashfuse: the unit tests of the runtime's library code link them dynamically.
  buildInputs = [
    libarchive
    jansson
    zstd
    xz
    zlib
    lz4
    lzo
    fuse3
    squashfuse
  ];
  checkInputs = [ cmocka ];

  makeFlags = [ "PREFIX=${placeholder "out"}" ];
  # The static runtime and entry come from ./static.nix (pkgsStatic), not from this glibc build.
  buildFlags = [ "build/squashnix" ];

  doCheck = true;
  checkTarget = "unit";

  installPhase = ''
    runHook preInstall
    install -Dm0755 build/squashnix $out/bin/squashnix
    install -Dm0755 ${runtime}/lib/squashnix/runtime $out/lib/squashnix/runtime
    install -Dm0755 ${entry}/lib/squashnix/AppRun $out/lib/squashnix/AppRun
    if [ -f docs/squashnix.1 ]; then
      install -Dm0644 docs/squashnix.1 $out/share/man/man1/squashnix.1
    fi
    runHook postInstall
  '';

  # Stripping would rewrite the runtime's ELF header, where it carries the AppImage magic.
  stripExclude = [ "lib/squashnix/*" ];

  meta = {
    description = "Turns a Nix package into one AppImage file that runs without Nix";
    mainProgram = "squashnix";
    platforms = lib.platforms.linux;
  };
}
