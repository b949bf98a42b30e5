# The repository's sources for the package builds: everything but build outputs (build/,
# build-sanitize/, build-fuzz/...), Git data and result links, so that building in place or making
# a link does not change the source's hash.
let
  root = ../.;
  prefix = toString root + "/";
in
builtins.path {
  path = root;
  name = "squashnix-source";
  filter =
    path: type:
    let
      relative = builtins.substring (builtins.stringLength prefix) (-1) (toString path);
      skipped = builtins.match "build(-[^/]*)?|\\.git|(.*/)?result(-[^/]*)?" relative;
    in
    skipped == null;
}
