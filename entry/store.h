/* The store in the new root: the image's store (APPDIR/nix/store) at /nix/store, merged over the
 * host's store when the host has one. The store directory comes from the closure, not from the
 * entry. Works relative to the working directory (the new root). */
#ifndef SQUASHNIX_ENTRY_STORE_H
#define SQUASHNIX_ENTRY_STORE_H

#include <stddef.h>

#include "err.h"

enum en_store_mode {
    EN_STORE_IMAGE,    /* no host store: the image's store alone */
    EN_STORE_MERGED,   /* overlay: the image's store over the host's, both read-only */
    EN_STORE_SHADOWED, /* the host's store directory tree, the image's store bound over its store */
};

/* Escapes PATH for an overlayfs lowerdir option (backslash before '\\', ':' and ','). Returns the
 * length written to OUT, or -1 when it does not fit. */
int en_overlay_escape(const char *path, char *out, size_t size);

/* Writes the first component of STORE_DIR ("nix" for "/nix/store") to OUT. Returns 0, or -1 when
 * it does not fit. */
int en_store_top(const char *store_dir, char *out, size_t size);

/* Makes STORE_DIR in the working directory show APPDIR/STORE_DIR: bound alone when the host has no
 * STORE_DIR; else the host's top directory (/nix) is bound recursively and an overlay of both
 * stores mounted over the store, or, where the kernel refuses the overlay, the image's store bound
 * there. Sets *MODE. Returns 0, or -1 with ERR. */
int en_store_setup(const char *appdir, const char *store_dir, enum en_store_mode *mode,
                   struct en_err *err);

#endif
