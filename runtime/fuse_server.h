/* The FUSE server process: serves an image with squashfuse's low-level operations over libfuse3,
 * tells its launcher when the kernel has initialised the connection, and removes the mount and its
 * directory once the watched process has exited and nothing uses the filesystem any more. */
#ifndef SQUASHNIX_RT_FUSE_SERVER_H
#define SQUASHNIX_RT_FUSE_SERVER_H

#include <stdint.h>

struct rt_fuse_server_conf {
    const char *image;        /* the AppImage file's name, for messages */
    int image_fd;             /* the file as the launcher opened and checked it (no second open) */
    uint64_t offset;          /* of the squashfs image in it */
    const char *dir_template; /* mkdtemp(3) template of the mount point, made by the server */
    int watch_pidfd;          /* pidfd of the process whose exit ends the mount's visible life */
    int ready_fd; /* the launcher's pipe: "R" + mount point on readiness, else "E" + message */
};

/* Runs the server; returns when the filesystem is gone (the process then exits). Never returns an
 * error to a caller: failures before readiness are reported on ready_fd. Returns the exit status.
 */
int rt_fuse_server_run(const struct rt_fuse_server_conf *conf);

#endif
