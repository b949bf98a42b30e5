/* The native fast path: on a host whose Nix store already holds the whole closure, the program runs
 * directly, with no namespace and no mount. */
#ifndef SQUASHNIX_ENTRY_HOSTSTORE_H
#define SQUASHNIX_ENTRY_HOSTSTORE_H

#include <stdbool.h>

#include "appdir.h"

/* Whether every path of the closure exists in STORE_DIR (the host's /nix/store; another directory
 * in tests), looked up by base name without following a final symlink. */
bool en_hoststore_has_closure(const struct en_closure *c, const char *store_dir);

/* Whether the fast path is allowed: SQUASHNIX_NO_HOST_STORE is unset, empty or "0". */
bool en_hoststore_allowed(void);

#endif
