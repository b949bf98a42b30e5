/* What a closure bundle is made of: the closure (read from --closure FILE, standard input, or the
 * local Nix for the store paths on the command line) and its top store path (the package: the
 * first STORE_PATH, else the store path of an absolute --program, else the closure's only root).
 * Library code: never prints or exits. */
#ifndef SQUASHNIX_INPUT_H
#define SQUASHNIX_INPUT_H

#include <stddef.h>

#include "closure.h"
#include "error.h"
#include "options.h"

/* Resolves each store path argument of O (./result symlinks are followed) into a new array of
 * new strings, *OUT; each must be a store path itself, not a path inside one. */
int input_store_paths(const struct sn_options *o, char ***out, struct sn_error *err);

/* Reads the closure: O's --closure file (or standard input), else `nix path-info` of PATHS. */
int input_load_closure(const struct sn_options *o, char *const *paths, size_t n,
                       struct closure **out, struct sn_error *err);

/* The top store path into BUF (see above); checks that it is in C. */
int input_top_path(const struct sn_options *o, char *const *paths, size_t n,
                   const struct closure *c, char *buf, size_t len, struct sn_error *err);

void input_free_paths(char **paths, size_t n);

#endif
