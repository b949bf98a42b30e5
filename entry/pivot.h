/* Switching to the new root with pivot_root (chroot would keep the old root reachable, and the
 * kernel refuses nested user namespaces to a chrooted process). */
#ifndef SQUASHNIX_ENTRY_PIVOT_H
#define SQUASHNIX_ENTRY_PIVOT_H

#include "err.h"

/* Makes the working directory (a mount point) the root, detaches the old root, and changes to the
 * new /. Returns 0, or -1 with ERR. */
int en_pivot_here(struct en_err *err);

/* Changes to CWD (the caller's working directory, as a path) in the new root. Returns 0, or -1 with
 * ERR when it does not exist there (the working directory is then /). */
int en_return_to(const char *cwd, struct en_err *err);

#endif
