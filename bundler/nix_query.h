/* Asking the local Nix about a closure: runs `nix path-info` (never through a shell) and returns
 * what it printed, for closure_parse. Library code: it never prints or exits. */
#ifndef SQUASHNIX_NIX_QUERY_H
#define SQUASHNIX_NIX_QUERY_H

#include <stddef.h>

#include "error.h"

/* Runs `nix --extra-experimental-features nix-command path-info --json --recursive -- PATHS`
 * (adding `--json-format 2` on Nix >= 2.33, asked once with `nix --version`), with the caller's
 * environment and PATH. On success stores its standard output, malloc'd and NUL-terminated, in
 * *JSON and its length in *LEN, and returns 0. On failure returns -1 with ERR saying what to do:
 * nix missing from PATH, a path that is not valid in the store (with nix's own message), or an
 * output over the closure reader's size limit. */
int nix_path_info(const char *const *paths, size_t n, char **json, size_t *len,
                  struct sn_error *err);

/* From the output of `nix --version` (e.g. "nix (Nix) 2.33.1"): 1 when this Nix needs
 * `--json-format` to print path-info JSON without a deprecation warning (Nix >= 2.33; not Lix,
 * whose own 2.9x numbering has no such option), 0 when it must not be given, -1 when the text
 * holds no version. */
int nix_wants_json_format(const char *version_output);

#endif
