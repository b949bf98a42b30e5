# mkAppImage: a derivation whose output is one AppImage file bundling `program`'s closure.
#
# The builder is the squashnix binary itself (`squashnix --nix-builder`): no stdenv, no shell, no
# mksquashfs in the build. Nix hands it the closure (exportReferencesGraph) and the options below as
# JSON (__structuredAttrs, .attrs.json), so no option is ever joined into a shell string.
#
# Arguments:
#   program      what to run: a derivation, an app, or a store path string (see ./program.nix)
#   name         the derivation's name, which `nix bundle` also uses for the link it makes;
#                default "<program's store path name>.AppImage", e.g. "hello-2.12.1.AppImage"
#   compression  "zstd" (default), "xz", "gzip", "lz4", "none", or null for squashnix's default
#   level        compression level (integer), or null for the compressor's default
#   blockSize    squashfs block size in bytes (integer), or null for squashnix's default
#   exclude      globs of files left out, matched against the path below /nix/store (fnmatch,
#                `*` crosses `/`), e.g. [ "*.a" "*/include/*" ]
#   updateInfo   AppImage update information, or null:
#                "gh-releases-zsync|user|repo|latest|x.AppImage.zsync" or "zsync|URL"
#   zsync        true: a second output `zsync`, a directory holding <name>.zsync (squashnix --zsync:
#                delta updates with zsync and appimageupdatetool; its URL is <name>, relative)
#   sha256       true: an output `sha256`, a directory holding <name>.sha256 (sha256sum -c format)
#   desktopFile  a .desktop file for the image root (path or derivation), or null
#   icon         an icon file (.png or .svg) for the image root, or null
#   extraArgs    further squashnix command-line options, one argv word per element
#   squashnix    the squashnix package: a derivation or path with bin/squashnix inside
#   runtime      the runtime file (a static executable for `system`)
#   entry        the entry file (the static AppRun for `system`)
#   system       the system that builds the bundle, and must match runtime and entry (default: the
#                evaluating machine's)
{
  program,
  name ? null,
  compression ? "zstd",
  level ? null,
  blockSize ? null,
  exclude ? [ ],
  updateInfo ? null,
  zsync ? false,
  sha256 ? false,
  desktopFile ? null,
  icon ? null,
  extraArgs ? [ ],
  squashnix,
  runtime,
  entry,
  system ? builtins.currentSystem,
}:
let
  resolved = import ./program.nix program;

  compressions = [
    "zstd"
    "xz"
    "gzip"
    "lz4"
    "none"
  ];

  # Checks the type of an option here, at evaluation, where the message can name the Nix argument.
  check =
    arg: ok: expected: value:
    if ok value then
      value
    else
      throw "mkAppImage: `${arg}` must be ${expected}; given: ${builtins.toJSON value}";

  isNullOr = pred: v: v == null || pred v;
  isListOf = pred: v: builtins.isList v && builtins.all pred v;

  # A path copied into the store under its own file name (squashnix names the image's .desktop file
  # after it): the file alone, in a directory, rather than "<hash>-<name>" directly in the store.
  copyFile =
    arg: p:
    let
      dir = builtins.path {
        path = dirOf p;
        name = "squashnix-${arg}";
        filter = path: type: path == toString p;
      };
    in
    "${dir}/${baseNameOf p}";

  # A file argument as a string naming a store path: paths are copied into the store, derivations
  # and strings with context are used as they are. A bare string would name a file outside the
  # build's inputs, which a sandboxed build cannot read.
  storeFile =
    arg: v:
    if v == null then
      null
    else if builtins.isPath v then
      copyFile arg v
    else if builtins.isAttrs v || builtins.isString v && builtins.hasContext v then
      "${v}"
    else
      throw "mkAppImage: `${arg}` must be a path (./file) or a derivation; given: ${
        builtins.toJSON v
      }";

  options = {
    inherit (resolved) program;
    runtime = storeFile "runtime" runtime;
    entry = storeFile "entry" entry;
    compression = check "compression" (isNullOr (c: builtins.elem c compressions)) (
      "one of " + builtins.concatStringsSep ", " (map builtins.toJSON compressions) + " or null"
    ) compression;
    level = check "level" (isNullOr builtins.isInt) "an integer or null" level;
    blockSize = check "blockSize" (isNullOr builtins.isInt) "an integer (bytes) or null" blockSize;
    exclude = check "exclude" (isListOf builtins.isString) "a list of glob strings" exclude;
    updateInfo = check "updateInfo" (isNullOr builtins.isString) "a string or null" updateInfo;
    zsync = check "zsync" builtins.isBool "true or false" zsync;
    sha256 = check "sha256" builtins.isBool "true or false" sha256;
    desktopFile = storeFile "desktopFile" desktopFile;
    icon = storeFile "icon" icon;
    extraArgs =
      check "extraArgs" (isListOf builtins.isString) "a list of strings (one argv word each)"
        extraArgs;
  };
in
builtins.derivation {
  name =
    if name == null then
      "${resolved.name}.AppImage"
    else
      check "name" builtins.isString "a string" name;
  inherit system;
  builder = "${squashnix}/bin/squashnix";
  args = [ "--nix-builder" ];
  __structuredAttrs = true;
  exportReferencesGraph.closure = [ resolved.storePath ];
  squashnix = options;
  # The bundle is "out" (the first output: what nix build links and nix bundle uses); the release
  # files are published under the derivation's name, so that is what they name.
  outputs =
    [ "out" ]
    ++ (if options.zsync then [ "zsync" ] else [ ])
    ++ (if options.sha256 then [ "sha256" ] else [ ]);
}
