/* The image's store at /nix/store, alone or merged with the host's. */
#include "store.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "debug.h"

int en_overlay_escape(const char *path, char *out, size_t size)
{
    size_t n = 0;

    for (; *path != '\0'; path++) {
        if (strchr("\\:,", *path) != NULL) {
            if (n + 1 >= size)
                return -1;
            out[n++] = '\\';
        }
        if (n + 1 >= size)
            return -1;
        out[n++] = *path;
    }
    if (n >= size)
        return -1;
    out[n] = '\0';
    return (int)n;
}

int en_store_top(const char *store_dir, char *out, size_t size)
{
    size_t len = strcspn(store_dir + 1, "/");

    if (store_dir[0] != '/' || len == 0 || len >= size)
        return -1;
    memcpy(out, store_dir + 1, len);
    out[len] = '\0';
    return 0;
}

static int host_has_store(const char *store_dir)
{
    struct stat st;

    return stat(store_dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/* mkdir -p of the relative path REL in the working directory (the new root's tmpfs). */
static int make_dirs(const char *rel, struct en_err *err)
{
    char path[PATH_MAX];
    size_t i;

    snprintf(path, sizeof(path), "%s", rel);
    for (i = 1; path[i] != '\0'; i++) {
        if (path[i] != '/')
            continue;
        path[i] = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return en_err_errno(err, errno, "cannot make /%s in the new root", path);
        path[i] = '/';
    }
    if (mkdir(path, 0755) != 0)
        return en_err_errno(err, errno, "cannot make /%s in the new root", path);
    return 0;
}

static int bind_image_store(const char *image_store, const char *store_dir, struct en_err *err)
{
    if (mount(image_store, store_dir + 1, NULL, MS_BIND, NULL) != 0)
        return en_err_errno(err, errno, "cannot bind %s on %s", image_store, store_dir);
    return 0;
}

static int mount_overlay(const char *image_store, const char *store_dir, struct en_err *err)
{
    char image_esc[PATH_MAX * 2], host_esc[PATH_MAX * 2], opts[PATH_MAX * 4 + 16];

    if (en_overlay_escape(image_store, image_esc, sizeof(image_esc)) < 0 ||
        en_overlay_escape(store_dir, host_esc, sizeof(host_esc)) < 0)
        return en_err_set(err, "path too long for an overlay: %s", image_store);
    /* Two lower layers and no upper: a read-only merge in which the first layer (the image) wins.
     * The host's layer is resolved now, before the root changes. */
    snprintf(opts, sizeof(opts), "lowerdir=%s:%s", image_esc, host_esc);
    if (mount("overlay", store_dir + 1, "overlay", MS_RDONLY | MS_NOSUID | MS_NODEV, opts) != 0)
        return en_err_errno(err, errno, "cannot mount an overlay (%s) on %s", opts, store_dir);
    return 0;
}

static int setup_with_host(const char *image_store, const char *store_dir, enum en_store_mode *mode,
                           struct en_err *err)
{
    char top[NAME_MAX + 1], host_top[NAME_MAX + 2];
    struct en_err overlay_err;

    if (en_store_top(store_dir, top, sizeof(top)) != 0)
        return en_err_set(err, "not a store directory: %s", store_dir);
    snprintf(host_top, sizeof(host_top), "/%s", top);
    en_trace("host has %s: bind the host's %s, merge %s over its store", store_dir, host_top,
             image_store);
    if (mkdir(top, 0755) != 0)
        return en_err_errno(err, errno, "cannot make %s in the new root", host_top);
    /* Keeps the host's /nix (its store, and /nix/var for a Nix daemon) as on the host. */
    if (mount(host_top, top, NULL, MS_BIND | MS_REC, NULL) != 0)
        return en_err_errno(err, errno, "cannot bind the directory %s (recursively)", host_top);
    if (mount_overlay(image_store, store_dir, &overlay_err) == 0) {
        *mode = EN_STORE_MERGED;
        return 0;
    }
    en_trace("%s; the image's store shadows the host's instead: host symlinks into %s will not "
             "resolve",
             overlay_err.msg, store_dir);
    *mode = EN_STORE_SHADOWED;
    return bind_image_store(image_store, store_dir, err);
}

int en_store_setup(const char *appdir, const char *store_dir, enum en_store_mode *mode,
                   struct en_err *err)
{
    char image_store[PATH_MAX];

    if (snprintf(image_store, sizeof(image_store), "%s%s", appdir, store_dir) >=
        (int)sizeof(image_store))
        return en_err_set(err, "path too long: %s%s", appdir, store_dir);
    if (host_has_store(store_dir))
        return setup_with_host(image_store, store_dir, mode, err);
    en_trace("host has no %s: bind %s there", store_dir, image_store);
    *mode = EN_STORE_IMAGE;
    if (make_dirs(store_dir + 1, err) != 0)
        return -1;
    return bind_image_store(image_store, store_dir, err);
}
