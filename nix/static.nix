# The runtime or the entry (PART) as a static executable (pkgsStatic: musl) for the platform of
# the nixpkgs instance: `pkgs.pkgsStatic.callPackage ./static.nix { part = "runtime"; }`.
# Installed as $out/lib/squashnix/runtime or $out/lib/squashnix/AppRun.
#
# A bundle runs on hosts without Nix, so these binaries must carry no store path. nixpkgs' libfuse
# compiles in util-linux's store path for mount and umount, and /run/wrappers/bin (NixOS's setuid
# wrappers) for fusermount3: here it is rebuilt with libfuse's own /bin/mount and /bin/umount and
# FUSERMOUNT_DIR=/usr/bin (libfuse then tries fusermount3 on PATH, which NixOS's PATH has).
{
  lib,
  stdenv,
  pkg-config,
  fuse3,
  squashfuse,
  zstd,
  xz,
  zlib,
  lz4,
  lzo,
  part,
  src ? import ./source.nix,
  version ? import ./version.nix,
}:
let
  file =
    {
      runtime = "runtime";
      entry = "AppRun";
    }
    .${part} or (throw "nix/static.nix: `part` must be \"runtime\" or \"entry\"; given: ${
      builtins.toJSON part
    }");

  hostFuse3 = fuse3.overrideAttrs (old: {
    # After nixpkgs' own substitutions: put the host paths back.
    preConfigure = (old.preConfigure or "") + ''
      sed -i -E 's|"${builtins.storeDir}/[^"]*/bin/(u?mount)"|"/bin/\1"|g' lib/mount_util.c
    '';
    env = (old.env or { }) // {
      NIX_CFLAGS_COMPILE = ''-DFUSERMOUNT_DIR="/usr/bin"'';
    };
  });

  hostSquashfuse = squashfuse.override { fuse3 = hostFuse3; };
in
stdenv.mkDerivation {
  pname = "squashnix-${part}";
  inherit version src;

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [
    hostFuse3
    hostSquashfuse
    zstd
    xz
    zlib
    lz4
    lzo
  ];

  makeFlags = [
    "CC=${stdenv.cc.targetPrefix}cc"
    "PKG=${stdenv.cc.targetPrefix}pkg-config"
  ];
  buildFlags = [ "build/${file}" ];

  # The Makefile strips with plain `strip`; in pkgsStatic (a cross stdenv) it is named $STRIP.
  preBuild = ''
    mkdir -p "$NIX_BUILD_TOP/bin"
    ln -s "$(command -v "${STRIP:-strip}")" "$NIX_BUILD_TOP/bin/strip"
    export PATH="$NIX_BUILD_TOP/bin:$PATH"
  '';

  installPhase = ''
    runHook preInstall
    install -Dm0755 build/${file} $out/lib/squashnix/${file}
    runHook postInstall
  '';

  # Stripping again would rewrite the ELF header, where the runtime carries the AppImage magic.
  dontStrip = true;
  dontPatchELF = true;
  # No store path may be referenced: the binary runs where there is no store.
  allowedReferences = [ ];

  meta = {
    description = "squashnix's static ${part} (${file}), part of every bundle";
    platforms = lib.platforms.linux;
  };
}
