/* User and mount namespaces. */
#include "userns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "debug.h"

int en_id_map_line(char *out, size_t size, unsigned long id)
{
    int n = snprintf(out, size, "%lu %lu 1\n", id, id);

    return n < 0 || (size_t)n >= size ? -1 : n;
}

static int write_proc_file(const char *path, const char *text, struct en_err *err)
{
    size_t len = strlen(text);
    ssize_t n;
    int fd;

    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return en_err_errno(err, errno, "cannot open %s", path);
    /* These files take the whole text in one write, or nothing. */
    n = write(fd, text, len);
    if (n < 0 || (size_t)n != len) {
        int saved = n < 0 ? errno : EIO;

        close(fd);
        return en_err_errno(err, saved, "cannot write \"%.*s\" to %s", (int)strcspn(text, "\n"),
                            text, path);
    }
    if (close(fd) != 0)
        return en_err_errno(err, errno, "cannot write to %s", path);
    return 0;
}

static int mark_refusal(struct en_err *err)
{
    /* EPERM: no permission (AppArmor, unprivileged_userns_clone=0, seccomp); ENOSPC: the
     * user.max_user_namespaces limit, 0 when disabled; EACCES: a map refused by a security module.
     */
    if (err->errnum == EPERM || err->errnum == ENOSPC || err->errnum == EACCES)
        err->hint = EN_HINT_USERNS_DENIED;
    return -1;
}

static int write_id_map(const char *path, unsigned long id, struct en_err *err)
{
    char line[64];

    if (en_id_map_line(line, sizeof(line), id) < 0)
        return en_err_set(err, "id %lu does not fit in %s", id, path);
    return write_proc_file(path, line, err);
}

int en_userns_enter(uid_t uid, gid_t gid, struct en_err *err)
{
    en_trace("unshare(CLONE_NEWUSER | CLONE_NEWNS), mapping uid %lu and gid %lu",
             (unsigned long)uid, (unsigned long)gid);
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
        en_err_errno(err, errno, "unshare(CLONE_NEWUSER | CLONE_NEWNS) failed");
        return mark_refusal(err);
    }
    /* Without privilege, a gid_map may only be written once setgroups is denied. */
    if (write_proc_file("/proc/self/setgroups", "deny", err) != 0)
        return mark_refusal(err);
    if (write_id_map("/proc/self/uid_map", uid, err) != 0)
        return mark_refusal(err);
    if (write_id_map("/proc/self/gid_map", gid, err) != 0)
        return mark_refusal(err);
    return 0;
}

int en_mountns_enter(struct en_err *err)
{
    en_trace("unshare(CLONE_NEWNS)");
    if (unshare(CLONE_NEWNS) != 0)
        return en_err_errno(err, errno, "unshare(CLONE_NEWNS) failed");
    return 0;
}

int en_mounts_make_private(struct en_err *err)
{
    en_trace("mount(NULL, \"/\", MS_REC | MS_PRIVATE)");
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        return en_err_errno(err, errno, "cannot make the mounts under / private");
    return 0;
}

/* Reads the first line of PROC_SYS/NAME into OUT; returns 0, or -1 when the file does not exist. */
static int read_sysctl(const char *proc_sys, const char *name, char *out, size_t size)
{
    char path[512];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", proc_sys, name);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    n = read(fd, out, size - 1);
    close(fd);
    if (n < 0)
        return -1;
    out[n] = '\0';
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

struct userns_setting {
    const char *file;    /* under /proc/sys */
    const char *sysctl;  /* its sysctl name */
    const char *refuses; /* the value that refuses user namespaces */
    const char *what;
};

static const struct userns_setting settings[] = {
    {"user/max_user_namespaces", "user.max_user_namespaces", "0",
     "the number of user namespaces allowed; 0 disables them"},
    {"kernel/apparmor_restrict_unprivileged_userns", "kernel.apparmor_restrict_unprivileged_userns",
     "1", "AppArmor (Ubuntu 23.10+) confines unprivileged user namespaces"},
    {"kernel/unprivileged_userns_clone", "kernel.unprivileged_userns_clone", "0",
     "Debian/Arch kernels: 0 allows user namespaces to root only"},
};

static size_t append(char *out, size_t size, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static size_t append(char *out, size_t size, size_t len, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (len >= size)
        return len;
    va_start(ap, fmt);
    n = vsnprintf(out + len, size - len, fmt, ap);
    va_end(ap);
    return n < 0 ? len : len + (size_t)n;
}

void en_userns_denied_help(char *out, size_t size, const char *proc_sys, const char *store_dir)
{
    char value[64];
    size_t i, len = 0;

    out[0] = '\0';
    len = append(out, size, len,
                 "this system does not let unprivileged users create a user namespace, which the "
                 "bundle needs to show its files at %s.\nSettings that decide it (sysctl):\n",
                 store_dir);
    for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
        if (read_sysctl(proc_sys, settings[i].file, value, sizeof(value)) != 0)
            continue;
        len = append(out, size, len, "  %s = %s%s (%s)\n", settings[i].sysctl, value,
                     strcmp(value, settings[i].refuses) == 0 ? ", refuses" : "", settings[i].what);
    }
    append(out, size, len,
           "What works:\n"
           "  - allow user namespaces: sysctl -w user.max_user_namespaces=15000 (and on Ubuntu, "
           "an AppArmor profile with \"userns,\" for this file, or sysctl -w "
           "kernel.apparmor_restrict_unprivileged_userns=0);\n"
           "  - run the bundle as root (sudo), which needs no user namespace;\n"
           "  - on a host with Nix, copy the bundle's closure into %s: the bundle then runs the "
           "program directly, with no namespace.\n"
           "Extracting the bundle (--appimage-extract) does not avoid this: the program still "
           "needs its files at %s.",
           store_dir, store_dir);
}
