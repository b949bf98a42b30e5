/* The new root: a tmpfs on APPDIR/mountroot, unbindable, holding the host's root entries. Every
 * function after en_mountroot_enter works relative to the working directory, the tmpfs root. */
#ifndef SQUASHNIX_ENTRY_MOUNTROOT_H
#define SQUASHNIX_ENTRY_MOUNTROOT_H

#include <stddef.h>

#include "err.h"

/* Mounts a tmpfs on APPDIR/mountroot (which must be a directory, not a symlink), makes it
 * MS_UNBINDABLE, and changes the working directory to its root. Returns 0, or -1 with ERR. */
int en_mountroot_enter(const char *appdir, struct en_err *err);

/* Lists the entries of DIR except ".", "..", and the names in SKIP (NULL-terminated), sorted by
 * name. The caller frees *NAMES with en_names_free. Returns 0, or -1 with ERR. */
int en_dir_entries(const char *dir, const char *const *skip, char ***names, size_t *count,
                   struct en_err *err);

/* Frees a list from en_dir_entries. */
void en_names_free(char **names, size_t count);

/* Makes each entry of the host's / (except those in SKIP) appear in the working directory as on
 * the host: a directory is bound recursively, a file is bound, a symlink is recreated with the same
 * target. Returns 0, or -1 with ERR. */
int en_mountroot_add_host(const char *const *skip, struct en_err *err);

/* Creates the symlink NAME -> TARGET in the working directory. Returns 0, or -1 with ERR. */
int en_mountroot_add_symlink(const char *name, const char *target, struct en_err *err);

/* Makes the tmpfs (the working directory) read-only, so that a program writing at / fails as on
 * the host instead of writing to memory that vanishes. Returns 0, or -1 with ERR. */
int en_mountroot_seal(struct en_err *err);

#endif
