#include "fuse_prog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUSE_OPTS "ro,nosuid,nodev,fsname=squashnix,subtype=squashnix"

static int executable(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Looks name up in PATH, then in the usual directories. */
static int lookup(const char *name, char *path, size_t len)
{
    static const char *const fallback[] = {"/usr/bin", "/bin", "/usr/local/bin"};
    const char *p = getenv("PATH");

    while (p && *p) {
        const char *end = strchrnul(p, ':');

        if (end > p && snprintf(path, len, "%.*s/%s", (int)(end - p), p, name) < (int)len &&
            executable(path))
            return 0;
        p = *end ? end + 1 : end;
    }
    for (size_t i = 0; i < sizeof(fallback) / sizeof(fallback[0]); i++) {
        if (snprintf(path, len, "%s/%s", fallback[i], name) < (int)len && executable(path))
            return 0;
    }
    return -1;
}

int rt_fusermount_find(char *path, size_t len, struct rt_error *err)
{
    const char *prog = getenv("FUSERMOUNT_PROG");

    if (prog && *prog) {
        if (strchr(prog, '/')) {
            if (executable(prog) && snprintf(path, len, "%s", prog) < (int)len)
                return 0;
        } else if (lookup(prog, path, len) == 0) {
            return 0;
        }
        return rt_fail(err, "FUSERMOUNT_PROG=%s is not an executable program", prog);
    }
    if (lookup("fusermount3", path, len) == 0 || lookup("fusermount", path, len) == 0)
        return 0;
    return rt_fail(err, "no fusermount3 or fusermount program (PATH, /usr/bin, /bin); install "
                        "fuse3 or set FUSERMOUNT_PROG");
}

static int attach_as_root(const char *dir, int *fuse_fd, struct rt_error *err)
{
    char opts[128];
    int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return rt_fail_errno(err, errno, "open /dev/fuse");
    snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", fd);
    if (mount("squashnix", dir, "fuse.squashnix", MS_RDONLY | MS_NOSUID | MS_NODEV, opts) < 0) {
        int e = errno;
        close(fd);
        return rt_fail_errno(err, e, "mount FUSE at %s", dir);
    }
    *fuse_fd = fd;
    return 0;
}

/* Receives the descriptor the helper sends over sock; -1 when it sent none. */
static int receive_fd(int sock)
{
    char byte;
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {.iov_base = &byte, .iov_len = 1};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control,
                         .msg_controllen = sizeof(control)};
    struct cmsghdr *c;
    ssize_t n;
    int fd;

    do
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
        return -1;
    memcpy(&fd, CMSG_DATA(c), sizeof(fd));
    return fd;
}

/* Reads what the helper said on fd (its stderr) into msg, one line, without the newline. */
static void read_message(int fd, char *msg, size_t len)
{
    size_t used = 0;
    ssize_t n;

    while (used + 1 < len && (n = read(fd, msg + used, len - used - 1)) > 0)
        used += (size_t)n;
    msg[used] = '\0';
    msg[strcspn(msg, "\n")] = '\0';
}

/* Runs the helper with argv (argv[0] is its path) and, when sock >= 0, _FUSE_COMMFD set to it; its
 * stderr goes to msg, so that the caller says what went wrong once, in its own words. Returns its
 * exit status, or -1 when it could not be run. */
static int run_helper(char *const argv[], int sock, char *msg, size_t len)
{
    int status, out[2];
    pid_t pid;

    msg[0] = '\0';
    if (pipe2(out, O_CLOEXEC) < 0)
        return -1;
    pid = fork();
    if (pid < 0) {
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (pid == 0) {
        char num[16];

        if (dup2(out[1], STDERR_FILENO) < 0)
            _exit(126);
        if (sock >= 0) {
            snprintf(num, sizeof(num), "%d", sock);
            if (setenv("_FUSE_COMMFD", num, 1) < 0)
                _exit(126);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(out[1]);
    read_message(out[0], msg, len);
    close(out[0]);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int attach_with_helper(const char *dir, int *fuse_fd, struct rt_error *err)
{
    char prog[4096], msg[512];
    int sv[2], status, fd;

    if (rt_fusermount_find(prog, sizeof(prog), err) < 0)
        return -1;
    /* The helper's end must survive exec; ours must not leak into the program. */
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return rt_fail_errno(err, errno, "socketpair for %s", prog);
    if (fcntl(sv[0], F_SETFD, FD_CLOEXEC) < 0) {
        close(sv[0]);
        close(sv[1]);
        return rt_fail_errno(err, errno, "fcntl");
    }
    {
        char *argv[] = {prog, "-o", FUSE_OPTS, "--", (char *)dir, NULL};
        status = run_helper(argv, sv[1], msg, sizeof(msg));
    }
    close(sv[1]);
    fd = status == 0 ? receive_fd(sv[0]) : -1;
    close(sv[0]);
    if (status != 0)
        return rt_fail(err, "%s could not mount %s: %s", prog, dir,
                       msg[0] ? msg : "it failed without a message");
    if (fd < 0)
        return rt_fail(err, "%s mounted %s but sent no FUSE descriptor", prog, dir);
    *fuse_fd = fd;
    return 0;
}

int rt_fuse_attach(const char *dir, int *fuse_fd, struct rt_error *err)
{
    if (geteuid() == 0)
        return attach_as_root(dir, fuse_fd, err);
    return attach_with_helper(dir, fuse_fd, err);
}

int rt_fuse_detach(const char *dir, struct rt_error *err)
{
    char prog[4096], msg[512];
    int status;

    if (geteuid() == 0) {
        if (umount2(dir, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
            return rt_fail_errno(err, errno, "umount %s", dir);
        return 0;
    }
    if (rt_fusermount_find(prog, sizeof(prog), err) < 0)
        return -1;
    {
        char *argv[] = {prog, "-u", "-z", "-q", "--", (char *)dir, NULL};
        status = run_helper(argv, -1, msg, sizeof(msg));
    }
    if (status != 0)
        return rt_fail(err, "%s -u -z %s failed: %s", prog, dir, msg);
    return 0;
}
