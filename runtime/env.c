#include "env.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int rt_appimage_path(char **out, struct rt_error *err)
{
    const char *target = getenv("TARGET_APPIMAGE");
    char buf[PATH_MAX];
    ssize_t n;

    if (target && *target) {
        *out = realpath(target, NULL);
        if (!*out)
            return rt_fail_errno(err, errno, "TARGET_APPIMAGE=%s", target);
        return 0;
    }
    n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
    if (n < 0)
        return rt_fail_errno(err, errno, "readlink /proc/self/exe (is /proc mounted?)");
    buf[n] = '\0';
    *out = strdup(buf);
    if (!*out)
        return rt_fail_errno(err, ENOMEM, "AppImage path");
    return 0;
}

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);

    if (s) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

/* Points name at <appimage><suffix> when that directory exists (type2-runtime's portable dirs). */
static int use_portable_dir(const char *appimage, const char *suffix, const char *name,
                            struct rt_error *err)
{
    struct stat st;
    char *dir = concat(appimage, suffix);
    int rc = 0;

    if (!dir)
        return rt_fail_errno(err, ENOMEM, "portable directory");
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && setenv(name, dir, 1) < 0)
        rc = rt_fail_errno(err, errno, "setenv %s", name);
    free(dir);
    return rc;
}

int rt_env_for_program(const char *appimage, const char *appdir, const char *argv0,
                       struct rt_error *err)
{
    char cwd[PATH_MAX];

    if (setenv("APPIMAGE", appimage, 1) < 0 || setenv("APPDIR", appdir, 1) < 0 ||
        setenv("ARGV0", argv0, 1) < 0)
        return rt_fail_errno(err, errno, "setenv APPIMAGE/APPDIR/ARGV0");
    /* A deleted working directory has no name: leave OWD unset rather than lie. */
    if (getcwd(cwd, sizeof(cwd)) && setenv("OWD", cwd, 1) < 0)
        return rt_fail_errno(err, errno, "setenv OWD");
    if (use_portable_dir(appimage, ".home", "HOME", err) < 0 ||
        use_portable_dir(appimage, ".config", "XDG_CONFIG_HOME", err) < 0)
        return -1;
    return 0;
}

int rt_portable_create(const char *appimage, const char *suffix, char **path, struct rt_error *err)
{
    struct stat st;
    char *dir = concat(appimage, suffix);

    if (!dir)
        return rt_fail_errno(err, ENOMEM, "portable directory");
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        rt_fail_errno(err, errno, "mkdir %s", dir);
        free(dir);
        return -1;
    }
    if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        rt_fail(err, "%s exists and is not a directory; move it away", dir);
        free(dir);
        return -1;
    }
    *path = dir;
    return 0;
}
