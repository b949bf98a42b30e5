/* The --nix-builder mode: squashnix as the builder of a Nix derivation (nix/mk-appimage.nix).
 * Turns the derivation's .attrs.json (structured attributes) into command-line words, which are
 * then parsed exactly as a command line. The contract (docs/design.md): the closure under key
 * "closure", the output path under "outputs"."out", options under "squashnix". Library code:
 * never prints or exits. */
#ifndef SQUASHNIX_NIX_BUILDER_H
#define SQUASHNIX_NIX_BUILDER_H

#include <stddef.h>

#include "error.h"

struct nix_builder_args {
    char **argv; /* argv[0] = "squashnix", NULL-terminated */
    int argc;
};

/* The .attrs.json path: $NIX_ATTRS_JSON_FILE when set and non-empty, else ".attrs.json". */
const char *nix_builder_attrs_path(void);

/* Builds the words from the .attrs.json document TEXT (LEN bytes) read from ATTRS_PATH. JOBS: the
 * value of NIX_BUILD_CORES, or NULL. Unknown keys under "squashnix" and wrong types are errors
 * naming the key. Release with nix_builder_args_free. */
int nix_builder_args(const char *attrs_path, const char *text, size_t len, const char *jobs,
                     struct nix_builder_args *out, struct sn_error *err);

void nix_builder_args_free(struct nix_builder_args *a);

#endif
