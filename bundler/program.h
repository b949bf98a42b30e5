/* The program a bundle runs (/entrypoint): chosen in a store path, checked to be an executable,
 * and its interpreter found (ELF PT_INTERP or a script's #! line) so that --exclude never removes
 * what the program needs to start. Library code: never prints or exits. */
#ifndef SQUASHNIX_PROGRAM_H
#define SQUASHNIX_PROGRAM_H

#include <stddef.h>

#include "error.h"

/* Splits a store path's name (the part after "<hash>-") the way Nix does: the version starts at
 * the first '-' not followed by a letter. Copies the name and the version (possibly empty) into
 * NAME and VERSION (each at least strlen(STORE_NAME) + 1 bytes). */
void program_split_name(const char *store_name, char *name, char *version);

/* Chooses the program in TOP (a store path). REQUESTED: NULL for the default (bin/<name without
 * version>, else the only executable in bin/), a path relative to TOP, or an absolute path under
 * /nix/store. On success stores a new string (the absolute path, not resolved) in *OUT. */
int program_choose(const char *top, const char *requested, char **out, struct sn_error *err);

/* The store path containing PATH (an absolute /nix/store path) into BUF: "/nix/store/<base>".
 * Returns -1 when PATH is not below /nix/store. */
int program_store_path(const char *path, char *buf, size_t len);

/* What runs PATH: the ELF interpreter (PT_INTERP) or the #! interpreter of a script. Stores a new
 * string in *OUT, or NULL when there is none (a static executable). */
int program_interpreter(const char *path, char **out, struct sn_error *err);

#endif
