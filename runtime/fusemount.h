/* Mounting an image with FUSE for the launcher: a fresh $TMPDIR/.mount_<name>XXXXXX directory and
 * a detached FUSE server process (its own session, so that signals to the launcher's process group
 * do not reach it) that keeps the filesystem alive for as long as it is used and then removes the
 * mount and the directory; see docs/design.md, "The runtime". */
#ifndef SQUASHNIX_RT_FUSEMOUNT_H
#define SQUASHNIX_RT_FUSEMOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "rt_error.h"
#include "squashfs_image.h"

/* Checks that FUSE can be used here (/dev/fuse, and fusermount when not root) and says why not. */
int rt_fuse_usable(struct rt_error *err);

/* Mounts the image of the AppImage img and returns once the kernel has initialised the mount;
 * sets mountpoint. The mount stays until this process (or the program it execs, same PID) has
 * exited and nothing uses the filesystem any more. */
int rt_fuse_mount(struct rt_image *img, char *mountpoint, size_t len, struct rt_error *err);

/* Removes the traces of FUSE servers that were killed: $TMPDIR/.mount_* directories whose mount
 * answers ENOTCONN are detached and removed. Best effort; other users' are left alone. */
void rt_fuse_reap_stale(void);

#endif
