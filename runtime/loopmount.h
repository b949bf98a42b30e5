/* The root path: the kernel's squashfs driver on a loop device, in a private mount namespace, so
 * that the mount exists only for this process and what it runs, and dies with them (even after
 * SIGKILL): nothing to clean up, nothing visible to the host. */
#ifndef SQUASHNIX_RT_LOOPMOUNT_H
#define SQUASHNIX_RT_LOOPMOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "rt_error.h"

/* Moves this process into a new private mount namespace and mounts the image there (read-only,
 * nodev, nosuid) at /run/squashnix/<pid>, sets appdir. On failure (no loop devices, no squashfs
 * driver, not root) the process is back in its original namespace and err says why. */
int rt_loop_mount_private(int image_fd, uint64_t offset, char *appdir, size_t len,
                          struct rt_error *err);

#endif
