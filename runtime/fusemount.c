#include "fusemount.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuse_prog.h"
#include "fuse_server.h"

/* How long the launcher waits for the kernel to initialise the mount before giving up. */
#define READY_TIMEOUT_MS 20000

static const char *tmpdir(void)
{
    const char *t = getenv("TMPDIR");

    return t && *t ? t : "/tmp";
}

int rt_fuse_usable(struct rt_error *err)
{
    char prog[PATH_MAX];

    if (access("/dev/fuse", F_OK) < 0)
        return rt_fail_errno(err, errno, "/dev/fuse");
    if (geteuid() != 0)
        return rt_fusermount_find(prog, sizeof(prog), err);
    return 0;
}

/* $TMPDIR/.mount_<first 6 characters of the AppImage's name>XXXXXX, as type2-runtime names it. */
static int dir_template(const char *image, char *dir, size_t len, struct rt_error *err)
{
    char *copy = strdup(image);
    int n;

    if (!copy)
        return rt_fail_errno(err, ENOMEM, "mount point");
    n = snprintf(dir, len, "%s/.mount_%.6sXXXXXX", tmpdir(), basename(copy));
    free(copy);
    if (n < 0 || (size_t)n >= len)
        return rt_fail(err, "TMPDIR=%s is too long", tmpdir());
    return 0;
}

/* The server's process: a grandchild in a new session, reparented to init (or a subreaper) once
 * its parent exits, so the launcher's process group and the launcher's death do not touch it. */
static void run_server_child(const struct rt_fuse_server_conf *conf)
{
    int null;
    pid_t pid;

    if (setsid() < 0)
        _exit(1);
    pid = fork();
    if (pid != 0)
        _exit(pid < 0);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    /* Hold no directory and none of the caller's files or terminal: the server may outlive
     * them all, and a caller reading our output must not wait for it. */
    null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (chdir("/") < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
        dup2(null, STDOUT_FILENO) < 0 || dup2(null, STDERR_FILENO) < 0)
        _exit(1);
    close(null);
    _exit(rt_fuse_server_run(conf));
}

/* Waits for the server's answer on fd: "R<mount point>" (ready) or "E<message>". */
static int wait_ready(int fd, char *dir, size_t len, struct rt_error *err)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    char buf[PATH_MAX + 1100];
    ssize_t n;
    int r;

    do
        r = poll(&p, 1, READY_TIMEOUT_MS);
    while (r < 0 && errno == EINTR);
    if (r == 0)
        return rt_fail(err, "the FUSE mount did not become ready in %d s", READY_TIMEOUT_MS / 1000);
    n = read(fd, buf, sizeof(buf) - 1);
    if (n <= 0)
        return rt_fail(err, "the FUSE server died before the mount was ready");
    buf[n] = '\0';
    if (buf[0] != 'R')
        return rt_fail(err, "%s", buf + 1);
    if (snprintf(dir, len, "%s", buf + 1) >= (int)len)
        return rt_fail(err, "mount point too long");
    return 0;
}

static int spawn_server(const struct rt_fuse_server_conf *conf, pid_t *child, struct rt_error *err)
{
    *child = fork();
    if (*child < 0)
        return rt_fail_errno(err, errno, "fork");
    if (*child == 0)
        run_server_child(conf);
    return 0;
}

int rt_fuse_mount(struct rt_image *img, char *mountpoint, size_t len, struct rt_error *err)
{
    const char *image = rt_image_path(img);
    struct rt_fuse_server_conf conf = {
        .image = image, .image_fd = rt_image_fd(img), .offset = rt_image_offset(img)};
    char template[PATH_MAX];
    int ready[2], rc, status;
    pid_t child;

    if (dir_template(image, template, sizeof(template), err) < 0)
        return -1;
    /* The server makes the directory itself: if we are killed before it exists, nothing does. */
    conf.dir_template = template;
    /* Our own pidfd: after exec it still names us, now the program. */
    conf.watch_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    if (conf.watch_pidfd < 0)
        return rt_fail_errno(err, errno, "pidfd_open (Linux >= 5.3 is needed for FUSE mode)");
    if (pipe2(ready, O_CLOEXEC) < 0) {
        rt_fail_errno(err, errno, "pipe");
        close(conf.watch_pidfd);
        return -1;
    }
    conf.ready_fd = ready[1];
    rc = spawn_server(&conf, &child, err);
    close(ready[1]);
    close(conf.watch_pidfd);
    if (rc == 0) {
        while (waitpid(child, &status, 0) < 0 && errno == EINTR)
            ;
        rc = wait_ready(ready[0], mountpoint, len, err);
    }
    close(ready[0]);
    return rc;
}

/* Detaches and removes one dead mount at dir. */
static void reap_one(const char *dir)
{
    struct rt_error ignored;

    if (rt_fuse_detach(dir, &ignored) == 0)
        rmdir(dir);
}

void rt_fuse_reap_stale(void)
{
    const char *base = tmpdir();
    char path[PATH_MAX];
    struct dirent *e;
    struct stat st;
    DIR *d = opendir(base);

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, ".mount_", 7) != 0)
            continue;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOTCONN)
            continue;
        if (snprintf(path, sizeof(path), "%s/%s", base, e->d_name) < (int)sizeof(path))
            reap_one(path);
    }
    closedir(d);
}
