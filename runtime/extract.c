#include "extract.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sqfs/format.h"

/* One directory on the way from the root to the current entry. */
struct level {
    int fd; /* -1 until created (with a pattern, only when something under it matches) */
    char name[RSQ_NAME_MAX + 1];
    mode_t mode;
    time_t mtime;
};

/* A regular file with more than one link: where its first link was written. */
struct hardlink {
    uint64_t key; /* the inode's reference (the same for every link) + 1; 0: a free slot */
    char *path;
};

struct extractor {
    struct rt_sqfs *fs;
    const char *pattern;
    struct level *levels;
    size_t depth, cap;
    struct hardlink *links;
    size_t nlinks, links_cap;
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

/* Writes the file's blocks at their offsets; sparse blocks stay holes, and the size is set last
 * so that a file ending in a hole has its full length. */
static int copy_data(struct extractor *x, const struct rt_sqfs_inode *inode, int fd,
                     const char *path)
{
    struct rt_sqfs_file *f;
    const uint8_t *data;
    size_t len;
    off_t pos = 0;
    int rc;

    if (rt_sqfs_file_open(x->fs, inode, &f, x->err) < 0)
        return -1;
    while ((rc = rt_sqfs_file_next(f, &data, &len, x->err)) > 0) {
        for (size_t done = 0; data && done < len;) {
            ssize_t w = pwrite(fd, data + done, len - done, pos + (off_t)done);

            if (w < 0) {
                rt_sqfs_file_close(f);
                return rt_fail_errno(x->err, errno, "write %s", path);
            }
            done += (size_t)w;
        }
        pos += (off_t)len;
    }
    rt_sqfs_file_close(f);
    if (rc < 0)
        return -1;
    if (ftruncate(fd, pos) < 0)
        return rt_fail_errno(x->err, errno, "set the size of %s", path);
    return 0;
}

/* The hard link table is open-addressed by inode reference: a Nix store optimised with hard links
 * can give an image tens of thousands of them. */
static size_t link_slot(uint64_t key, size_t cap)
{
    return (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}

static struct hardlink *find_link(struct extractor *x, uint64_t ref)
{
    if (x->links_cap == 0)
        return NULL;
    for (size_t i = link_slot(ref + 1, x->links_cap); x->links[i].key;
         i = (i + 1) & (x->links_cap - 1)) {
        if (x->links[i].key == ref + 1)
            return &x->links[i];
    }
    return NULL;
}

static int grow_links(struct extractor *x)
{
    size_t cap = x->links_cap ? x->links_cap * 2 : 64;
    struct hardlink *t = calloc(cap, sizeof(*t));

    if (!t)
        return rt_fail_errno(x->err, ENOMEM, "extracting");
    for (size_t i = 0; i < x->links_cap; i++) {
        size_t j;

        if (!x->links[i].key)
            continue;
        for (j = link_slot(x->links[i].key, cap); t[j].key; j = (j + 1) & (cap - 1))
            ;
        t[j] = x->links[i];
    }
    free(x->links);
    x->links = t;
    x->links_cap = cap;
    return 0;
}

/* Records where the first link of inode ref was written (it is not in the table yet). */
static int remember_link(struct extractor *x, uint64_t ref, const char *path)
{
    char *copy;
    size_t i;

    if (2 * (x->nlinks + 1) > x->links_cap && grow_links(x) < 0)
        return -1;
    copy = strdup(path);
    if (!copy)
        return rt_fail_errno(x->err, ENOMEM, "extracting");
    for (i = link_slot(ref + 1, x->links_cap); x->links[i].key; i = (i + 1) & (x->links_cap - 1))
        ;
    x->links[i].key = ref + 1;
    x->links[i].path = copy;
    x->nlinks++;
    return 0;
}

static int write_file(struct extractor *x, int dirfd, const char *name, const char *path,
                      const struct rt_sqfs_inode *inode, int root_fd)
{
    struct timespec ts[2] = {{0, UTIME_OMIT}, {inode->mtime, 0}};
    struct hardlink *first = inode->nlink > 1 ? find_link(x, inode->ref) : NULL;
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
    if (rc == 0 && (fchmod(fd, inode->mode & 0777) < 0 || futimens(fd, ts) < 0))
        rc = rt_fail_errno(x->err, errno, "set mode of %s", path);
    if (close(fd) < 0 && rc == 0)
        rc = rt_fail_errno(x->err, errno, "close %s", path);
    if (rc == 0 && inode->nlink > 1)
        rc = remember_link(x, inode->ref, path);
    return rc;
}

static int write_symlink(struct extractor *x, int dirfd, const char *name, const char *path,
                         const struct rt_sqfs_inode *inode)
{
    struct timespec ts[2] = {{0, UTIME_OMIT}, {inode->mtime, 0}};
    char *target;
    int rc = 0;

    if (rt_sqfs_readlink(x->fs, inode, &target, x->err) < 0)
        return -1;
    if (clear_path(x, dirfd, name, path) < 0)
        rc = -1;
    else if (symlinkat(target, dirfd, name) < 0)
        rc = rt_fail_errno(x->err, errno, "symlink %s -> %s", path, target);
    else
        utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW); /* best effort, as tar does */
    free(target);
    return rc;
}

static int extract_entry(struct extractor *x, const struct rt_sqfs_walk *w, int root_fd)
{
    const char *name = rt_sqfs_walk_name(w), *path = rt_sqfs_walk_path(w);
    const struct rt_sqfs_inode *inode = rt_sqfs_walk_inode(w);
    int match = !x->pattern || fnmatch(x->pattern, path, FNM_FILE_NAME | FNM_LEADING_DIR) == 0;
    int dirfd;

    /* The reader refuses these already; checked again here because a name is about to become a
     * path on the host. */
    if (!rt_extract_name_ok(name))
        return rt_fail(x->err, "refusing the unsafe name \"%s\" in the image (at %s)", name, path);
    if (S_ISDIR(inode->mode)) {
        if (push_level(x, name, inode->mode, inode->mtime) < 0)
            return -1;
        return match ? make_levels(x, path) : 0;
    }
    if (!match || !(S_ISREG(inode->mode) || S_ISLNK(inode->mode)))
        return 0;
    if (make_levels(x, path) < 0)
        return -1;
    dirfd = x->levels[x->depth - 1].fd;
    if (S_ISREG(inode->mode))
        return write_file(x, dirfd, name, path, inode, root_fd);
    return write_symlink(x, dirfd, name, path, inode);
}

/* Reader errors say what is wrong in the image; the caller adds which file it is. */
static int walk(struct extractor *x, int root_fd)
{
    struct rt_sqfs_walk *w;
    int rc;

    if (rt_sqfs_walk_open(x->fs, &w, x->err) < 0)
        return -1;
    while ((rc = rt_sqfs_walk_next(w, x->err)) > 0) {
        if (rt_sqfs_walk_dir_end(w))
            rc = pop_level(x);
        else
            rc = extract_entry(x, w, root_fd);
        if (rc < 0)
            break;
    }
    rt_sqfs_walk_close(w);
    return rc < 0 ? -1 : 0;
}

int rt_extract(struct rt_sqfs *fs, int root_fd, const char *pattern, struct rt_error *err)
{
    struct extractor x = {.fs = fs, .pattern = pattern, .err = err};
    int rc;

    if (push_level(&x, ".", 0755, 0) < 0)
        return -1;
    x.levels[0].fd = root_fd;
    rc = walk(&x, root_fd);
    /* Level 0 is the caller's descriptor; close only the ones opened here (after a failure). */
    while (x.depth > 1) {
        struct level *l = &x.levels[--x.depth];
        if (l->fd >= 0)
            close(l->fd);
    }
    for (size_t i = 0; i < x.links_cap; i++)
        free(x.links[i].path);
    free(x.links);
    free(x.levels);
    return rc;
}
