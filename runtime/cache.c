#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract.h"
#include "rmtree.h"

struct cache {
    char dir[PATH_MAX]; /* .../squashnix */
    int fd;
    char key[33];
};

/* Makes dir (mode 0700) when missing and checks it is a real directory of ours. */
static int own_dir(const char *dir, int private_only, struct rt_error *err)
{
    struct stat st;

    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return rt_fail_errno(err, errno, "mkdir %s", dir);
    if (lstat(dir, &st) < 0)
        return rt_fail_errno(err, errno, "lstat %s", dir);
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid())
        return rt_fail(err, "%s is not a directory owned by you; remove it", dir);
    if (private_only && (st.st_mode & 077))
        return rt_fail(err, "%s is accessible to other users; run chmod 700 %s", dir, dir);
    return 0;
}

static int cache_base(char *out, size_t len, struct rt_error *err)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/') {
        snprintf(out, len, "%s", xdg);
        return 0;
    }
    /* Not getpwuid(): in a static glibc binary it would need the host's NSS libraries. */
    if (!home || home[0] != '/')
        return rt_fail(err, "no cache directory: set XDG_CACHE_HOME or HOME to an absolute path");
    if (snprintf(out, len, "%s/.cache", home) >= (int)len)
        return rt_fail(err, "HOME is too long");
    return 0;
}

static int cache_open(struct cache *c, struct rt_error *err)
{
    char base[PATH_MAX];

    if (cache_base(base, sizeof(base), err) < 0 || own_dir(base, 0, err) < 0)
        return -1;
    if (snprintf(c->dir, sizeof(c->dir), "%s/squashnix", base) >= (int)sizeof(c->dir))
        return rt_fail(err, "cache path too long");
    if (own_dir(c->dir, 1, err) < 0)
        return -1;
    c->fd = open(c->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (c->fd < 0)
        return rt_fail_errno(err, errno, "open %s", c->dir);
    return 0;
}

/* Removes the temporary trees of extractions that were killed. Only the lock holder extracts,
 * and we hold the lock, so every .tmp-<key>-* found now is dead. */
static void remove_dead_tmp(struct cache *c)
{
    char prefix[64], path[PATH_MAX * 2];
    DIR *d;
    struct dirent *e;
    int fd = dup(c->fd);

    snprintf(prefix, sizeof(prefix), ".tmp-%s-", c->key);
    d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            snprintf(path, sizeof(path), "%s/%s", c->dir, e->d_name);
            rt_remove_tree(path);
        }
    }
    closedir(d);
}

/* Extracts img under fd; a failure names the image. */
static int extract(struct rt_image *img, int fd, struct rt_error *err)
{
    struct rt_error why;

    if (rt_extract(rt_image_fs(img), fd, NULL, &why) == 0)
        return 0;
    rt_fail(err, "%s: extracting: %s", rt_image_path(img), why.msg);
    err->errnum = why.errnum;
    return -1;
}

/* Extracts img into a fresh .tmp-<key>-XXXXXX and renames it to <key>: a tree under that name is
 * always complete. */
static int fill(struct cache *c, struct rt_image *img, struct rt_error *err)
{
    char tmp[PATH_MAX], final[PATH_MAX];
    int fd, rc;

    remove_dead_tmp(c);
    if (snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-XXXXXX", c->dir, c->key) >= (int)sizeof(tmp) ||
        snprintf(final, sizeof(final), "%s/%s", c->dir, c->key) >= (int)sizeof(final))
        return rt_fail(err, "cache path too long");
    if (!mkdtemp(tmp))
        return rt_fail_errno(err, errno, "mkdtemp %s", tmp);
    fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        rc = rt_fail_errno(err, errno, "open %s", tmp);
    } else {
        rc = extract(img, fd, err);
        if (rc == 0 && fchmod(fd, 0755) < 0)
            rc = rt_fail_errno(err, errno, "chmod %s", tmp);
        close(fd);
    }
    if (rc == 0 && rename(tmp, final) < 0) {
        if (errno == ENOTEMPTY || errno == EEXIST)
            rc = rt_fail(err,
                         "%s is in the way: it is not an extraction of this bundle owned by "
                         "you (planted, or from another user); remove it and run again",
                         final);
        else
            rc = rt_fail_errno(err, errno, "rename %s to %s", tmp, final);
    }
    if (rc < 0)
        rt_remove_tree(tmp);
    return rc;
}

/* Whether <key> is there as a directory of ours (not a symlink, not someone else's). */
static int present(struct cache *c)
{
    struct stat st;

    return fstatat(c->fd, c->key, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
           st.st_uid == geteuid();
}

static int lock_and_fill(struct cache *c, struct rt_image *img, struct rt_error *err)
{
    char name[64];
    int lock, rc = 0;

    snprintf(name, sizeof(name), "%s.lock", c->key);
    lock = openat(c->fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (lock < 0)
        return rt_fail_errno(err, errno, "open %s/%s", c->dir, name);
    while (flock(lock, LOCK_EX) < 0) {
        if (errno != EINTR) {
            close(lock);
            return rt_fail_errno(err, errno, "flock %s/%s", c->dir, name);
        }
    }
    if (!present(c)) {
        /* Not a directory of ours under the final name: nothing we made; clear it. */
        if (unlinkat(c->fd, c->key, 0) < 0 && errno != ENOENT && errno != EISDIR)
            rc = rt_fail_errno(err, errno, "remove %s/%s", c->dir, c->key);
        if (rc == 0)
            rc = fill(c, img, err);
    }
    close(lock); /* releases the lock */
    return rc;
}

int rt_cache_get(struct rt_image *img, char **appdir, struct rt_error *err)
{
    struct cache c = {.fd = -1};
    char path[PATH_MAX * 2];
    int rc;

    if (rt_image_digest(img, c.key, err) < 0 || cache_open(&c, err) < 0) {
        if (c.fd >= 0)
            close(c.fd);
        return -1;
    }
    /* The common case, a warm cache, takes no lock: a tree under the final name is complete. */
    rc = present(&c) ? 0 : lock_and_fill(&c, img, err);
    close(c.fd);
    if (rc < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/%s", c.dir, c.key);
    *appdir = strdup(path);
    if (!*appdir)
        return rt_fail_errno(err, ENOMEM, "cache path");
    return 0;
}
