# Resolves mkAppImage's `program` argument to the program file to run and the store path holding it.
#
# Accepted, as `nix bundle` and users hand them over:
#   - a derivation: the program is bin/<meta.mainProgram, else pname, else the name without its
#     version> of its "bin" output if it has one, else of "out" (what nixpkgs' lib.getExe picks);
#   - an app, { type = "app"; program = "/nix/store/...-hello-2.12/bin/hello"; }, as flake `apps`
#     and `nix bundle` give it;
#   - a store path string: the program file itself ("/nix/store/...-hello-2.12/bin/hello"), or a
#     package's store path ("/nix/store/...-hello-2.12": the program is bin/hello, the path's name
#     without its version).
# Anything else throws, saying what was given and what is accepted.
#
# Returns { storePath; program; name; }: storePath is the top-level store path to bundle (a string
# carrying its context, so that Nix builds it and lets exportReferencesGraph name it), program the
# absolute path of the file to run, name the store path's name without its hash (for the bundle's
# name).
program:
let
  storeDir = builtins.storeDir;

  accepted = ''
    mkAppImage: `program` must be one of
      - a derivation (the program is bin/<meta.mainProgram or pname or the name without version>),
      - an app: { type = "app"; program = "${storeDir}/...-hello-2.12/bin/hello"; },
      - a store path string: the program, "${storeDir}/...-hello-2.12/bin/hello", or its
        package, "${storeDir}/...-hello-2.12".'';

  describe =
    v:
    let
      t = builtins.typeOf v;
    in
    if t == "set" then
      "an attribute set with attributes [ ${toString (builtins.attrNames v)} ]"
    else if t == "string" then
      "the string \"${builtins.unsafeDiscardStringContext v}\""
    else if t == "path" then
      "the path ${toString v}"
    else if t == "lambda" then
      "a function"
    else if t == "list" then
      "a list of ${toString (builtins.length v)} elements"
    else
      "a ${t} (${builtins.toJSON v})";

  reject = why: throw "${accepted}\n  Given: ${describe program}${why}";

  # "/nix/store/<hash>-<name>[/<rest>]"
  #   -> [ "/nix/store/<hash>-<name>" "<hash>-<name>" ("/<rest>" or null) ], or null
  splitStorePath = s: builtins.match "(${storeDir}/([^/]+))(/.*)?" s;

  # The store path as a string Nix knows to be a store path, so that exportReferencesGraph may name
  # it: strings from derivations carry that context already. A bare string is looked up in the
  # store with builtins.storePath, which pure (flake) evaluation refuses; there the path is declared
  # as an input by appending its context: `nix bundle` of Nix 2.8 hands an app's program over as
  # such a bare string, after building it.
  withContext =
    s:
    if builtins.hasContext s then
      s
    else if builtins ? currentSystem then
      builtins.storePath s
    else
      builtins.appendContext s { ${s} = { path = true; }; };

  # "<32-char hash>-hello-2.12" -> "hello-2.12"
  nameOf = base: builtins.substring 33 (-1) (builtins.unsafeDiscardStringContext base);

  fromStoreString =
    s: why:
    let
      parts = splitStorePath s;
      top = builtins.elemAt parts 0;
      rest = builtins.elemAt parts 2;
      name = nameOf (builtins.elemAt parts 1);
      storePath = withContext top;
    in
    if parts == null then
      reject why
    else
      {
        inherit storePath name;
        program =
          if rest == null || rest == "/" then
            "${storePath}/bin/${(builtins.parseDrvName name).name}"
          else
            storePath + rest;
      };

  fromDerivation =
    drv:
    let
      output = if drv.outputSpecified or false then drv else drv.bin or drv.out or drv;
      exe = drv.meta.mainProgram or drv.pname or (builtins.parseDrvName drv.name).name;
      storePath = output.outPath;
    in
    {
      inherit storePath;
      program = "${storePath}/bin/${exe}";
      name = nameOf (baseNameOf storePath);
    };

  isApp = v: v.type or null == "app" && builtins.isString (v.program or null);
in
if builtins.isAttrs program && program.type or null == "derivation" then
  fromDerivation program
else if builtins.isAttrs program && isApp program then
  fromStoreString program.program " (its `program` is not inside ${storeDir})"
else if builtins.isString program then
  fromStoreString program " (not a path inside ${storeDir})"
else
  reject ""
