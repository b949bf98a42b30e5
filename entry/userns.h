/* The namespaces the entry makes: a user namespace mapping only the caller's uid and gid (when not
 * root) and a mount namespace, whose whole tree is then made private. */
#ifndef SQUASHNIX_ENTRY_USERNS_H
#define SQUASHNIX_ENTRY_USERNS_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Formats an identity map line "ID ID 1\n" into OUT. Returns its length, or -1 when it does not
 * fit. */
int en_id_map_line(char *out, size_t size, unsigned long id);

/* Enters a new user and mount namespace: unshare(CLONE_NEWUSER | CLONE_NEWNS), "deny" to
 * /proc/self/setgroups, uid_map "UID UID 1", gid_map "GID GID 1". Returns 0, or -1 with ERR; when
 * the system refuses user namespaces, ERR's hint is EN_HINT_USERNS_DENIED. */
int en_userns_enter(uid_t uid, gid_t gid, struct en_err *err);

/* Enters a new mount namespace only (root). Returns 0, or -1 with ERR. */
int en_mountns_enter(struct en_err *err);

/* Makes every mount of the namespace private (mount(NULL, "/", MS_REC | MS_PRIVATE)), so that no
 * mount or unmount made later propagates to the host. Returns 0, or -1 with ERR. */
int en_mounts_make_private(struct en_err *err);

/* Writes into OUT the explanation for a refused user namespace: the settings that refuse it, with
 * their current values where readable, and what works instead. PROC_SYS is "/proc/sys" (another
 * directory in tests); STORE_DIR is the bundle's store directory. */
void en_userns_denied_help(char *out, size_t size, const char *proc_sys, const char *store_dir);

#endif
