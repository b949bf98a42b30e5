#include "fuse_server.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ll.h>

#include "fuse_prog.h"
#include "rt_error.h"

/* squashfuse's operations find their sqfs_ll through fuse_req_userdata(), so it comes first. */
struct server {
    sqfs_ll ll;
    int ready_fd;
    char dir[PATH_MAX];
};

/* Sends the launcher kind ('R' ready, 'E' error) and msg, in one write: a pipe keeps it whole. */
static void report(int fd, char kind, const char *msg)
{
    char buf[1100];
    int n = snprintf(buf, sizeof(buf), "%c%s", kind, msg);

    if (fd >= 0 && n > 0 && write(fd, buf, (size_t)n) < 0) {
        /* The launcher is gone; nobody is left to tell. */
    }
}

/* The kernel has answered FUSE_INIT: the mount is usable. Tell the launcher. */
static void op_init(void *userdata, struct fuse_conn_info *conn)
{
    struct server *s = userdata;

    (void)conn;
    report(s->ready_fd, 'R', s->dir);
    close(s->ready_fd);
    s->ready_fd = -1;
}

static const struct fuse_lowlevel_ops ops = {
    .init = op_init,
    .lookup = sqfs_ll_op_lookup,
    .forget = sqfs_ll_op_forget,
    .getattr = sqfs_ll_op_getattr,
    .readlink = sqfs_ll_op_readlink,
    .open = sqfs_ll_op_open,
    .read = sqfs_ll_op_read,
    .release = sqfs_ll_op_release,
    .opendir = sqfs_ll_op_opendir,
    .readdir = sqfs_ll_op_readdir,
    .releasedir = sqfs_ll_op_releasedir,
    .statfs = stfs_ll_op_statfs,
    .listxattr = sqfs_ll_op_listxattr,
    .getxattr = sqfs_ll_op_getxattr,
};

static int open_fs(struct server *s, const struct rt_fuse_server_conf *conf, struct rt_error *err)
{
    if (sqfs_init(&s->ll.fs, conf->image_fd, (size_t)conf->offset) != SQFS_OK)
        return rt_fail(err, "%s: unreadable squashfs image", conf->image);
    if (sqfs_ll_init(&s->ll) != SQFS_OK) {
        sqfs_destroy(&s->ll.fs);
        return rt_fail(err, "%s: squashfuse could not set up its inode table", conf->image);
    }
    return 0;
}

static void close_fs(struct server *s)
{
    sqfs_ll_destroy(&s->ll);
}

static struct fuse_session *start_session(struct server *s, const char *dir, struct rt_error *err)
{
    char *argv[] = {"squashnix", NULL};
    struct fuse_args args = FUSE_ARGS_INIT(1, argv);
    struct fuse_session *se;
    char fdpath[32];
    int fuse_fd;

    se = fuse_session_new(&args, &ops, sizeof(ops), s);
    if (!se) {
        rt_fail(err, "libfuse could not create a session");
        return NULL;
    }
    if (rt_fuse_attach(dir, &fuse_fd, err) < 0) {
        fuse_session_destroy(se);
        return NULL;
    }
    /* libfuse takes an already mounted connection as /dev/fd/N. */
    snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", fuse_fd);
    if (fuse_session_mount(se, fdpath) != 0) {
        struct rt_error ignored;
        rt_fuse_detach(dir, &ignored);
        close(fuse_fd);
        fuse_session_destroy(se);
        rt_fail(err, "libfuse refused the FUSE descriptor for %s", dir);
        return NULL;
    }
    return se;
}

/* Serves requests until the kernel ends the connection (the filesystem's last user went away). When
 * the watched process exits, detaches the mount so that its path goes away and no new user comes.
 */
static void serve(struct fuse_session *se, const struct rt_fuse_server_conf *conf, const char *dir)
{
    struct fuse_buf buf = {.mem = NULL};
    struct pollfd p[2] = {{.fd = fuse_session_fd(se), .events = POLLIN},
                          {.fd = conf->watch_pidfd, .events = POLLIN}};
    nfds_t n = 2;

    while (!fuse_session_exited(se)) {
        if (poll(p, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (n == 2 && p[1].revents) {
            struct rt_error ignored;
            n = 1;
            if (rt_fuse_detach(dir, &ignored) < 0)
                break;
        }
        if (p[0].revents & (POLLERR | POLLHUP | POLLNVAL))
            break;
        if (p[0].revents & POLLIN) {
            int r = fuse_session_receive_buf(se, &buf);
            if (r == -EINTR || r == -EAGAIN)
                continue;
            if (r <= 0)
                break;
            fuse_session_process_buf(se, &buf);
        }
    }
    free(buf.mem);
}

int rt_fuse_server_run(const struct rt_fuse_server_conf *conf)
{
    struct server s;
    struct fuse_session *se;
    struct rt_error err;

    memset(&s, 0, sizeof(s));
    s.ready_fd = conf->ready_fd;
    snprintf(s.dir, sizeof(s.dir), "%s", conf->dir_template);
    if (!mkdtemp(s.dir)) {
        rt_fail_errno(&err, errno, "mkdtemp %s (is TMPDIR writable?)", conf->dir_template);
        report(s.ready_fd, 'E', err.msg);
        return 1;
    }
    if (open_fs(&s, conf, &err) < 0) {
        report(s.ready_fd, 'E', err.msg);
        rmdir(s.dir);
        return 1;
    }
    se = start_session(&s, s.dir, &err);
    if (!se) {
        report(s.ready_fd, 'E', err.msg);
        close_fs(&s);
        rmdir(s.dir);
        return 1;
    }
    serve(se, conf, s.dir);
    fuse_session_destroy(se);
    close_fs(&s);
    /* Only now: while any mount namespace still had the filesystem at dir, removing dir would
     * have detached it there too. */
    rmdir(s.dir);
    return 0;
}
