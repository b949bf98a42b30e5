/* The bundle's directory (APPDIR) and what the entry reads from it: the closure list
 * (/.squashnix/closure) and the program the entrypoint symlink names. */
#ifndef SQUASHNIX_ENTRY_APPDIR_H
#define SQUASHNIX_ENTRY_APPDIR_H

#include <stddef.h>

#include "err.h"

/* Finds the bundle directory: $APPDIR when it is absolute and its AppRun is this very executable,
 * else the directory of /proc/self/exe. Writes it to OUT (SIZE bytes). Returns 0, or -1 with ERR.
 */
int en_appdir_find(char *out, size_t size, struct en_err *err);

/* The closure: the store paths of the bundle, as listed in /.squashnix/closure. Opaque. */
struct en_closure;

/* Parses closure text: one store path (STORE_DIR/HASH-NAME) a line, every line ending with a
 * newline; all paths share one store directory (usually /nix/store, written by the bundler, not
 * built into the entry). WHAT names the source in messages. Returns the closure, or NULL with ERR.
 */
struct en_closure *en_closure_parse(const char *text, size_t len, const char *what,
                                    struct en_err *err);

/* Reads and parses APPDIR/.squashnix/closure. Returns the closure, or NULL with ERR. */
struct en_closure *en_closure_read(const char *appdir, struct en_err *err);

/* Number of store paths in the closure. */
size_t en_closure_count(const struct en_closure *c);

/* The Ith store path (0 <= I < count), e.g. "/nix/store/abc...-hello-2.12". */
const char *en_closure_path(const struct en_closure *c, size_t i);

/* The store directory the closure's paths are in, e.g. "/nix/store". */
const char *en_closure_store_dir(const struct en_closure *c);

/* Frees the closure (NULL is fine). */
void en_closure_free(struct en_closure *c);

/* Reads the target of the symlink APPDIR/entrypoint into OUT (SIZE bytes): it must be an absolute
 * path under STORE_DIR without "..". Returns 0, or -1 with ERR. */
int en_entrypoint_read(const char *appdir, const char *store_dir, char *out, size_t size,
                       struct en_err *err);

/* Whether DIR can be a store directory: absolute, at least two components ("/nix/store"), no empty,
 * "." or ".." component, no trailing slash. */
int en_store_dir_valid(const char *dir);

/* Whether NAME is a well-formed store path base name: a 32-character Nix base-32 hash, '-', and a
 * non-empty name without '/'. */
int en_store_name_valid(const char *name);

#endif
