/* The two ways to get a FUSE connection mounted, and unmounted again: directly with mount(2)
 * (root), or through the setuid helper fusermount3/fusermount (the "_FUSE_COMMFD" protocol: the
 * helper mounts and passes the /dev/fuse descriptor back over a socket). Done here rather than by
 * libfuse so that $FUSERMOUNT_PROG is honoured, the helper is found wherever the host keeps it, and
 * each failure says which step failed. */
#ifndef SQUASHNIX_RT_FUSE_PROG_H
#define SQUASHNIX_RT_FUSE_PROG_H

#include <stddef.h>

#include "rt_error.h"

/* Finds the helper: $FUSERMOUNT_PROG when set (a path, or a name looked up in PATH), else
 * fusermount3 then fusermount in PATH, /usr/bin, /bin, /usr/local/bin. */
int rt_fusermount_find(char *path, size_t len, struct rt_error *err);

/* Mounts a read-only FUSE filesystem at dir and returns the /dev/fuse descriptor (O_CLOEXEC):
 * with mount(2) when running as root, else through the helper. */
int rt_fuse_attach(const char *dir, int *fuse_fd, struct rt_error *err);

/* Detaches the FUSE mount at dir lazily (MNT_DETACH; fusermount -u -z when not root): the path goes
 * away now, the filesystem when its last user does. */
int rt_fuse_detach(const char *dir, struct rt_error *err);

#endif
