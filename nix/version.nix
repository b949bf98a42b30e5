# squashnix's version, read from the Makefile (VERSION := x.y.z), where releases set it.
let
  found = builtins.match ".*\nVERSION := ([^\n]+)\n.*" (builtins.readFile ../Makefile);
in
if found == null then
  throw "nix/version.nix: no `VERSION := ...` line in the Makefile"
else
  builtins.head found
