# The bundler `nix bundle --bundler` calls: given the installable's value (a derivation or an app),
# returns mkAppImage's derivation for it.
#
# DEFAULTS is mkAppImage's other arguments: squashnix, runtime and entry (the flake passes its own
# packages for the bundling system) and, optionally, any option (compression, exclude, ...).
defaults: program: import ./mk-appimage.nix (defaults // { inherit program; })
