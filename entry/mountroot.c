/* The tmpfs root and the host's root entries in it. */
#include "mountroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "debug.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

#define MOUNTROOT "mountroot"

static int mount_tmpfs_on(int appdirfd, const char *appdir, struct en_err *err)
{
    int fd;

    fd = openat(appdirfd, MOUNTROOT, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return en_err_errno(err, errno, "cannot open the directory %s/" MOUNTROOT, appdir);
    /* Mount on the directory just opened (the working directory), not on a path looked up again. */
    if (fchdir(fd) != 0) {
        close(fd);
        return en_err_errno(err, errno, "cannot change directory to %s/" MOUNTROOT, appdir);
    }
    close(fd);
    en_trace("mount tmpfs on %s/" MOUNTROOT, appdir);
    if (mount("tmpfs", ".", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") != 0)
        return en_err_errno(err, errno, "cannot mount a tmpfs on %s/" MOUNTROOT, appdir);
    return 0;
}

static int enter_tmpfs(int appdirfd, const char *appdir, struct en_err *err)
{
    struct statfs sf;

    /* The working directory is the covered directory; looking its name up again from its parent
     * crosses into the tmpfs. */
    if (fchdir(appdirfd) != 0 || chdir(MOUNTROOT) != 0)
        return en_err_errno(err, errno, "cannot enter the tmpfs at %s/" MOUNTROOT, appdir);
    if (statfs(".", &sf) != 0)
        return en_err_errno(err, errno, "statfs %s/" MOUNTROOT, appdir);
    if (sf.f_type != TMPFS_MAGIC)
        return en_err_set(err, "%s/" MOUNTROOT ": not the tmpfs just mounted", appdir);
    return 0;
}

int en_mountroot_enter(const char *appdir, struct en_err *err)
{
    int appdirfd, rc;

    appdirfd = open(appdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (appdirfd < 0)
        return en_err_errno(err, errno, "cannot open the bundle directory %s", appdir);
    rc = mount_tmpfs_on(appdirfd, appdir, err);
    if (rc == 0)
        rc = enter_tmpfs(appdirfd, appdir, err);
    close(appdirfd);
    if (rc != 0)
        return rc;
    /* The seed's fix: an unbindable mount (private, too) is left out of every recursive bind. The
     * host's entries are bound recursively into this tmpfs, and one of them holds the bundle's
     * mount and so this tmpfs: without this, each bind would copy the tmpfs and all bound so far
     * ("mount explosion", mount_namespaces(7)). */
    en_trace("make the tmpfs at %s/" MOUNTROOT " unbindable", appdir);
    if (mount(NULL, ".", NULL, MS_UNBINDABLE, NULL) != 0)
        return en_err_errno(err, errno, "cannot make %s/" MOUNTROOT " unbindable", appdir);
    return 0;
}

void en_names_free(char **names, size_t count)
{
    size_t i;

    if (names == NULL)
        return;
    for (i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

static int skipped(const char *name, const char *const *skip)
{
    size_t i;

    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return 1;
    for (i = 0; skip != NULL && skip[i] != NULL; i++)
        if (strcmp(name, skip[i]) == 0)
            return 1;
    return 0;
}

static int push_name(char ***names, size_t *count, size_t *cap, const char *name)
{
    char **grown;

    if (*count == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        grown = realloc(*names, *cap * sizeof(**names));
        if (grown == NULL)
            return -1;
        *names = grown;
    }
    (*names)[*count] = strdup(name);
    if ((*names)[*count] == NULL)
        return -1;
    (*count)++;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int en_dir_entries(const char *dir, const char *const *skip, char ***names, size_t *count,
                   struct en_err *err)
{
    struct dirent *de;
    size_t cap = 0;
    DIR *d;

    *names = NULL;
    *count = 0;
    d = opendir(dir);
    if (d == NULL)
        return en_err_errno(err, errno, "cannot list %s", dir);
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (!skipped(de->d_name, skip) && push_name(names, count, &cap, de->d_name) != 0) {
            closedir(d);
            en_names_free(*names, *count);
            return en_err_errno(err, ENOMEM, "cannot list %s", dir);
        }
        errno = 0;
    }
    if (errno != 0) {
        int saved = errno;

        closedir(d);
        en_names_free(*names, *count);
        return en_err_errno(err, saved, "cannot list %s", dir);
    }
    closedir(d);
    if (*count > 0)
        qsort(*names, *count, sizeof(**names), compare_names);
    return 0;
}

static int bind_dir(const char *src, const char *name, struct en_err *err)
{
    if (mkdir(name, 0755) != 0)
        return en_err_errno(err, errno, "cannot make the directory /%s in the new root", name);
    if (mount(src, name, NULL, MS_BIND | MS_REC, NULL) != 0)
        return en_err_errno(err, errno, "cannot bind the directory %s (recursively)", src);
    return 0;
}

static int bind_file(const char *src, const char *name, struct en_err *err)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

    if (fd < 0)
        return en_err_errno(err, errno, "cannot make the file /%s in the new root", name);
    close(fd);
    if (mount(src, name, NULL, MS_BIND, NULL) != 0)
        return en_err_errno(err, errno, "cannot bind the file %s", src);
    return 0;
}

static int copy_symlink(const char *src, const char *name, struct en_err *err)
{
    char target[PATH_MAX];
    ssize_t n = readlink(src, target, sizeof(target) - 1);

    if (n < 0)
        return en_err_errno(err, errno, "cannot read the symlink %s", src);
    target[n] = '\0';
    return en_mountroot_add_symlink(name, target, err);
}

static int add_host_entry(const char *name, struct en_err *err)
{
    char src[PATH_MAX];
    struct stat st;

    snprintf(src, sizeof(src), "/%s", name);
    if (lstat(src, &st) != 0)
        return en_err_errno(err, errno, "cannot stat %s", src);
    if (S_ISDIR(st.st_mode))
        return bind_dir(src, name, err);
    if (S_ISREG(st.st_mode))
        return bind_file(src, name, err);
    if (S_ISLNK(st.st_mode))
        return copy_symlink(src, name, err);
    /* A socket, fifo or device node at / is no part of a usual root; it stays out. */
    en_trace("leave out %s (not a directory, file or symlink)", src);
    return 0;
}

int en_mountroot_add_host(const char *const *skip, struct en_err *err)
{
    char **names;
    size_t count, i;
    int rc = 0;

    if (en_dir_entries("/", skip, &names, &count, err) != 0)
        return -1;
    for (i = 0; i < count && rc == 0; i++) {
        en_trace("host entry /%s", names[i]);
        rc = add_host_entry(names[i], err);
    }
    en_names_free(names, count);
    return rc;
}

int en_mountroot_add_symlink(const char *name, const char *target, struct en_err *err)
{
    if (symlink(target, name) != 0)
        return en_err_errno(err, errno, "cannot make the symlink /%s -> %s in the new root", name,
                            target);
    return 0;
}

int en_mountroot_seal(struct en_err *err)
{
    en_trace("make the new root's tmpfs read-only");
    if (mount(NULL, ".", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
        return en_err_errno(err, errno, "cannot make the new root's tmpfs read-only");
    return 0;
}
