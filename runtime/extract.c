#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (128 * 1024)

/* One directory on the way from the root to the current entry. */
struct level {
    int fd; /* -1 until created (with a pattern, only when something under it matches) */
    char name[SQUASHFS_NAME_LEN + 1];
    mode_t mode;
    time_t mtime;
};

/* A regular file with more than one link: where its first link was written. */
struct hardlink {
    sqfs_inode_num num;
    char *path;
};

struct extractor {
    sqfs *fs;
    const char *pattern;
    struct level *levels;
    size_t depth, cap;
    struct hardlink *links;
    size_t nlinks, links_cap;
    char *buf;
    struct rt_error *err;
};

int rt_extract_name_ok(const char *name)
{
    return name[0] != '\0' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
           strchr(name, '/') == NULL;
}

static int push_level(struct extractor *x, const char *name, mode_t mode, time_t mtime)
{
    if (x->depth == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 16;
        struct level *l = realloc(x->levels, cap * sizeof(*l));

        if (!l)
            return rt_fail_errno(x->err, ENOMEM, "extracting");
        x->levels = l;
        x->cap = cap;
    }
    x->levels[x->depth].fd = -1;
    snprintf(x->levels[x->depth].name, sizeof(x->levels[0].name), "%s", name);
    x->levels[x->depth].mode = mode;
    x->levels[x->depth].mtime = mtime;
    x->depth++;
    return 0;
}

/* Creates (or enters) directory i of the stack; its parent is created already. */
static int make_level(struct extractor *x, size_t i, const char *path)
{
    struct level *l = &x->levels[i];
    int parent = x->levels[i - 1].fd;

    if (mkdirat(parent, l->name, 0700) < 0 && errno != EEXIST)
        return rt_fail_errno(x->err, errno, "mkdir %s", path);
    l->fd = openat(parent, l->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (l->fd < 0)
        return rt_fail_errno(x->err, errno, "open directory %s (not following links)", path);
    return 0;
}

/* Creates every directory of the stack not created yet: something under them is extracted. */
static int make_levels(struct extractor *x, const char *path)
{
    for (size_t i = 1; i < x->depth; i++) {
        if (x->levels[i].fd < 0 && make_level(x, i, path) < 0)
            return -1;
    }
    return 0;
}

static int pop_level(struct extractor *x)
{
    struct level *l = &x->levels[--x->depth];
    struct timespec ts[2] = {{0, UTIME_OMIT}, {l->mtime, 0}};
    int rc = 0;

    if (l->fd < 0)
        return 0;
    if (fchmod(l->fd, l->mode & 07777 & ~(mode_t)(S_ISUID | S_ISGID)) < 0 ||
        futimens(l->fd, ts) < 0)
        rc = rt_fail_errno(x->err, errno, "setting mode of directory %s", l->name);
    close(l->fd);
    return rc;
}

/* Removes a non-directory in the way of a new file; never follows it. */
static int clear_path(struct extractor *x, int dirfd, const char *name, const char *path)
{
    if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
        return rt_fail_errno(x->err, errno, "replace %s", path);
    return 0;
}

static int copy_data(struct extractor *x, sqfs_inode *inode, int fd, const char *path)
{
    sqfs_off_t pos = 0, size = (sqfs_off_t)inode->xtra.reg.file_size;

    while (pos < size) {
        sqfs_off_t n = size - pos < CHUNK ? size - pos : CHUNK;

        if (sqfs_read_range(x->fs, inode, pos, &n, x->buf) != SQFS_OK || n <= 0)
            return rt_fail(x->err, "%s: unreadable data in the image (corrupted)", path);
        for (sqfs_off_t done = 0; done < n;) {
            ssize_t w = write(fd, x->buf + done, (size_t)(n - done));

            if (w < 0)
                return rt_fail_errno(x->err, errno, "write %s", path);
            done += w;
        }
        pos += n;
    }
    return 0;
}

static struct hardlink *find_link(struct extractor *x, sqfs_inode_num num)
{
    for (size_t i = 0; i < x->nlinks; i++) {
        if (x->links[i].num == num)
            return &x->links[i];
    }
    return NULL;
}

static int remember_link(struct extractor *x, sqfs_inode_num num, const char *path)
{
    if (x->nlinks == x->links_cap) {
        size_t cap = x->links_cap ? x->links_cap * 2 : 16;
        struct hardlink *l = realloc(x->links, cap * sizeof(*l));

        if (!l)
            return rt_fail_errno(x->err, ENOMEM, "extracting");
        x->links = l;
        x->links_cap = cap;
    }
    x->links[x->nlinks].num = num;
    x->links[x->nlinks].path = strdup(path);
    if (!x->links[x->nlinks].path)
        return rt_fail_errno(x->err, ENOMEM, "extracting");
    x->nlinks++;
    return 0;
}

static int write_file(struct extractor *x, int dirfd, const char *name, const char *path,
                      sqfs_inode *inode, sqfs_inode_num num, int root_fd)
{
    struct timespec ts[2] = {{0, UTIME_OMIT}, {inode->base.mtime, 0}};
    struct hardlink *first = inode->nlink > 1 ? find_link(x, num) : NULL;
    int fd, rc;

    if (clear_path(x, dirfd, name, path) < 0)
        return -1;
    if (first) {
        if (linkat(root_fd, first->path, dirfd, name, 0) < 0)
            return rt_fail_errno(x->err, errno, "link %s to %s", path, first->path);
        return 0;
    }
    fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return rt_fail_errno(x->err, errno, "create %s", path);
    rc = copy_data(x, inode, fd, path);
    if (rc == 0 && (fchmod(fd, inode->base.mode & 0777) < 0 || futimens(fd, ts) < 0))
        rc = rt_fail_errno(x->err, errno, "set mode of %s", path);
    if (close(fd) < 0 && rc == 0)
        rc = rt_fail_errno(x->err, errno, "close %s", path);
    if (rc == 0 && inode->nlink > 1)
        rc = remember_link(x, num, path);
    return rc;
}

static int write_symlink(struct extractor *x, int dirfd, const char *name, const char *path,
                         sqfs_inode *inode)
{
    struct timespec ts[2] = {{0, UTIME_OMIT}, {inode->base.mtime, 0}};
    size_t size = 0;
    char *target;
    int rc = 0;

    if (sqfs_readlink(x->fs, inode, NULL, &size) != SQFS_OK)
        return rt_fail(x->err, "%s: unreadable symbolic link in the image (corrupted)", path);
    target = malloc(size + 1);
    if (!target)
        return rt_fail_errno(x->err, ENOMEM, "extracting %s", path);
    size++;
    if (sqfs_readlink(x->fs, inode, target, &size) != SQFS_OK)
        rc = rt_fail(x->err, "%s: unreadable symbolic link in the image (corrupted)", path);
    else if (clear_path(x, dirfd, name, path) < 0)
        rc = -1;
    else if (symlinkat(target, dirfd, name) < 0)
        rc = rt_fail_errno(x->err, errno, "symlink %s -> %s", path, target);
    else
        utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW); /* best effort, as tar does */
    free(target);
    return rc;
}

static int extract_entry(struct extractor *x, sqfs_traverse *trv, int root_fd)
{
    const char *name = sqfs_dentry_name(&trv->entry);
    int match = !x->pattern || fnmatch(x->pattern, trv->path, FNM_FILE_NAME | FNM_LEADING_DIR) == 0;
    sqfs_inode inode;
    int dirfd;

    if (!rt_extract_name_ok(name))
        return rt_fail(x->err, "refusing the unsafe name \"%s\" in the image (under %s)", name,
                       trv->path);
    if (sqfs_inode_get(x->fs, &inode, sqfs_dentry_inode(&trv->entry)) != SQFS_OK)
        return rt_fail(x->err, "%s: unreadable inode in the image (corrupted)", trv->path);
    if (S_ISDIR(inode.base.mode)) {
        if (push_level(x, name, inode.base.mode, inode.base.mtime) < 0)
            return -1;
        return match ? make_levels(x, trv->path) : 0;
    }
    if (!match || !(S_ISREG(inode.base.mode) || S_ISLNK(inode.base.mode)))
        return 0;
    if (make_levels(x, trv->path) < 0)
        return -1;
    dirfd = x->levels[x->depth - 1].fd;
    if (S_ISREG(inode.base.mode))
        return write_file(x, dirfd, name, trv->path, &inode, sqfs_dentry_inode_num(&trv->entry),
                          root_fd);
    return write_symlink(x, dirfd, name, trv->path, &inode);
}

static int walk(struct extractor *x, int root_fd)
{
    sqfs_traverse trv;
    sqfs_err e = SQFS_OK;
    int rc = 0;

    if (sqfs_traverse_open(&trv, x->fs, sqfs_inode_root(x->fs)) != SQFS_OK)
        return rt_fail(x->err, "the image's root directory is unreadable (corrupted)");
    while (rc == 0 && sqfs_traverse_next(&trv, &e)) {
        if (trv.dir_end)
            rc = pop_level(x);
        else
            rc = extract_entry(x, &trv, root_fd);
    }
    if (rc == 0 && e != SQFS_OK)
        rc = rt_fail(x->err, "the image's directory tree is unreadable (corrupted)");
    sqfs_traverse_close(&trv);
    return rc;
}

int rt_extract(sqfs *fs, int root_fd, const char *pattern, struct rt_error *err)
{
    struct extractor x = {.fs = fs, .pattern = pattern, .err = err};
    int rc;

    x.buf = malloc(CHUNK);
    if (!x.buf || push_level(&x, ".", 0755, 0) < 0) {
        free(x.buf);
        return rt_fail_errno(err, ENOMEM, "extracting");
    }
    x.levels[0].fd = root_fd;
    rc = walk(&x, root_fd);
    /* Level 0 is the caller's descriptor; close only the ones opened here (after a failure). */
    while (x.depth > 1) {
        struct level *l = &x.levels[--x.depth];
        if (l->fd >= 0)
            close(l->fd);
    }
    for (size_t i = 0; i < x.nlinks; i++)
        free(x.links[i].path);
    free(x.links);
    free(x.levels);
    free(x.buf);
    return rc;
}
