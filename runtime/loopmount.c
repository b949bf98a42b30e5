#include "loopmount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

/* The mount point's parent: a root-owned directory that stays empty on the host. In the namespace
 * a private tmpfs covers it and holds the mount point, so no per-run directory is ever created on
 * the host and none can be left behind. */
#define BASE "/run/squashnix"

/* Tries to claim a free loop device for the image: -1 with errno EBUSY when another process took
 * it first (the caller asks again). */
static int attach_loop(int ctl, int image_fd, uint64_t offset, char *dev, size_t len,
                       struct rt_error *err)
{
    struct loop_config cfg;
    int n = ioctl(ctl, LOOP_CTL_GET_FREE), fd;

    if (n < 0)
        return rt_fail_errno(err, errno, "LOOP_CTL_GET_FREE on /dev/loop-control");
    snprintf(dev, len, "/dev/loop%d", n);
    fd = open(dev, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return rt_fail_errno(err, errno, "open %s", dev);
    memset(&cfg, 0, sizeof(cfg));
    cfg.fd = (unsigned)image_fd;
    cfg.info.lo_offset = offset;
    cfg.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
    if (ioctl(fd, LOOP_CONFIGURE, &cfg) == 0)
        return fd;
    if (errno == EINVAL || errno == ENOTTY) { /* before Linux 5.8 */
        if (ioctl(fd, LOOP_SET_FD, image_fd) == 0) {
            if (ioctl(fd, LOOP_SET_STATUS64, &cfg.info) == 0)
                return fd;
            ioctl(fd, LOOP_CLR_FD, 0);
        }
    }
    {
        int e = errno;
        close(fd);
        errno = e;
        return e == EBUSY ? -1 : rt_fail_errno(err, e, "attach the image to %s", dev);
    }
}

/* Mounts the image from a fresh loop device at dir. The device detaches itself (autoclear) when
 * the mount goes away; we hold it only until the mount does. */
static int mount_image(int image_fd, uint64_t offset, const char *dir, struct rt_error *err)
{
    char dev[32];
    int ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC), fd = -1, rc = 0;

    if (ctl < 0)
        return rt_fail_errno(err, errno, "open /dev/loop-control");
    for (int tries = 0; fd < 0 && tries < 32; tries++) {
        fd = attach_loop(ctl, image_fd, offset, dev, sizeof(dev), err);
        if (fd < 0 && errno != EBUSY)
            break;
    }
    close(ctl);
    if (fd < 0)
        return errno == EBUSY ? rt_fail(err, "no free loop device after 32 tries") : -1;
    if (mount(dev, dir, "squashfs", MS_RDONLY | MS_NODEV | MS_NOSUID, NULL) < 0)
        rc = rt_fail_errno(err, errno, "mount %s (squashfs) at %s", dev, dir);
    close(fd);
    return rc;
}

/* The base directory must be root's and not writable by others: nobody may plant a symlink. */
static int check_base(struct rt_error *err)
{
    struct stat st;

    if (mkdir(BASE, 0755) < 0 && errno != EEXIST)
        return rt_fail_errno(err, errno, "mkdir %s", BASE);
    if (lstat(BASE, &st) < 0)
        return rt_fail_errno(err, errno, "lstat %s", BASE);
    if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022))
        return rt_fail(err, "%s is not a root-owned directory writable only by root", BASE);
    return 0;
}

/* Whether BASE is a mount point here: it is when this runs inside another bundle's namespace (a
 * bundle started by a bundle), whose tmpfs must not be covered: its program may still use it. */
static int base_is_mounted(void)
{
    struct stat base, run;

    return stat(BASE, &base) == 0 && stat("/run", &run) == 0 && base.st_dev != run.st_dev;
}

static int setup_namespace(int image_fd, uint64_t offset, const char *appdir, struct rt_error *err)
{
    if (unshare(CLONE_NEWNS) < 0)
        return rt_fail_errno(err, errno, "unshare(CLONE_NEWNS)");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        return rt_fail_errno(err, errno, "make / private (MS_REC|MS_PRIVATE)");
    if (!base_is_mounted() && mount("squashnix", BASE, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                                    "mode=0755,size=64k") < 0)
        return rt_fail_errno(err, errno, "mount tmpfs at %s", BASE);
    if (mkdir(appdir, 0755) < 0)
        return rt_fail_errno(err, errno, "mkdir %s", appdir);
    return mount_image(image_fd, offset, appdir, err);
}

/* Goes back to the namespace open on ns_fd and to the working directory open on cwd_fd (setns
 * moves it to the namespace's root). Should that fail, the process stays in its private namespace,
 * where the FUSE and extraction paths work as well; only their mounts are then private too. */
static void restore_namespace(int ns_fd, int cwd_fd)
{
    if (setns(ns_fd, CLONE_NEWNS) == 0 && fchdir(cwd_fd) < 0) {
        /* The directory is open: fchdir to it cannot fail short of EBADF. */
    }
}

int rt_loop_mount_private(int image_fd, uint64_t offset, char *appdir, size_t len,
                          struct rt_error *err)
{
    int ns_fd, cwd_fd, rc;

    if (geteuid() != 0)
        return rt_fail(err, "not root");
    if (check_base(err) < 0)
        return -1;
    ns_fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    if (ns_fd < 0)
        return rt_fail_errno(err, errno, "open /proc/self/ns/mnt");
    cwd_fd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (cwd_fd < 0) {
        close(ns_fd);
        return rt_fail_errno(err, errno, "open the working directory");
    }
    /* Unique per process: bundles started by bundles share the tmpfs (see base_is_mounted). */
    if (snprintf(appdir, len, "%s/%d", BASE, (int)getpid()) >= (int)len) {
        close(ns_fd);
        close(cwd_fd);
        return rt_fail(err, "mount point path too long");
    }
    rc = setup_namespace(image_fd, offset, appdir, err);
    if (rc < 0)
        restore_namespace(ns_fd, cwd_fd);
    else if (fchdir(cwd_fd) < 0) /* unshare keeps it; only a vanished directory would fail */
        rc = rt_fail_errno(err, errno, "fchdir to the working directory");
    close(ns_fd);
    close(cwd_fd);
    return rc;
}
