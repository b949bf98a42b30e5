/* Assembling the image tree. The program and its interpreter chain are protected from --exclude:
 * a pattern that would drop them (or a directory holding them) is ignored for those paths. */
#include "image.h"
#include "regular_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "program.h"

#define COPY_MAX   (64u << 20) /* files copied through memory: the entry and desktop files */
#define MAX_KEEP   8           /* program, interpreter, and what their symlinks resolve to */
#define STORE_SKIP (sizeof(CLOSURE_STORE_DIR "/") - 1)

struct exclude_ctx {
    const struct image_spec *spec;
    char *keep[MAX_KEEP]; /* image paths (/nix/store/...) never excluded */
    size_t n_keep;
};

int image_excluded(const char *const *patterns, size_t n, const char *image_path)
{
    const char *below = strncmp(image_path, CLOSURE_STORE_DIR "/", STORE_SKIP) == 0
                            ? image_path + STORE_SKIP
                            : image_path;
    for (size_t i = 0; i < n; i++)
        if (fnmatch(patterns[i], below, 0) == 0)
            return 1;
    return 0;
}

static int is_kept(const struct exclude_ctx *x, const char *image_path, int is_dir)
{
    size_t len = strlen(image_path);
    for (size_t i = 0; i < x->n_keep; i++) {
        if (strcmp(x->keep[i], image_path) == 0)
            return 1;
        if (is_dir && strncmp(x->keep[i], image_path, len) == 0 && x->keep[i][len] == '/')
            return 1;
    }
    return 0;
}

static int exclude_cb(void *ctx, const char *image_path, int is_dir)
{
    struct exclude_ctx *x = ctx;
    if (!image_excluded(x->spec->excludes, x->spec->n_excludes, image_path))
        return 0;
    return !is_kept(x, image_path, is_dir);
}

static void keep_path(struct exclude_ctx *x, const char *path)
{
    char store[PATH_MAX];
    if (x->n_keep < MAX_KEEP && program_store_path(path, store, sizeof(store)) == 0 &&
        (x->keep[x->n_keep] = strdup(path)) != NULL)
        x->n_keep++;
}

/* Protects the program, what its symlink resolves to, its interpreter and what that resolves to. */
static int protect_program(struct exclude_ctx *x, const char *program, struct sn_error *err)
{
    char real[PATH_MAX], *interp = NULL;
    keep_path(x, program);
    if (realpath(program, real))
        keep_path(x, real);
    if (program_interpreter(program, &interp, err) < 0)
        return -1;
    if (interp) {
        keep_path(x, interp);
        if (realpath(interp, real))
            keep_path(x, real);
    }
    free(interp);
    return 0;
}

/* Reads a host file whole (at most COPY_MAX bytes) and adds it at DEST with MODE. */
static int add_copy(struct sqw_tree *t, const char *dest, const char *src, mode_t mode,
                    struct sn_error *err)
{
    struct stat st;
    int fd = regular_file_open(src, "file", err);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) < 0 || (uint64_t)st.st_size > COPY_MAX) {
        close(fd);
        return sn_error_set(err, SN_ERR_INPUT, "%s: not a regular file of at most %u MiB", src,
                            COPY_MAX >> 20);
    }
    char *buf = malloc((size_t)st.st_size + 1);
    ssize_t n = buf ? read(fd, buf, (size_t)st.st_size + 1) : -1;
    int saved = errno;
    close(fd);
    int rc;
    if (!buf)
        rc = sn_error_set(err, SN_ERR_NOMEM, "out of memory reading %s", src);
    else if (n != (ssize_t)st.st_size)
        rc = n < 0 ? sn_error_errno(err, saved, "reading %s", src)
                   : sn_error_set(err, SN_ERR_SYSTEM, "%s changed while being read", src);
    else
        rc = sqw_tree_add_memory(t, dest, buf, (size_t)n, mode, err);
    free(buf);
    return rc;
}

static void report(const struct image_spec *s, const char *image_path, const char *source)
{
    if (s->on_item)
        s->on_item(s->item_ctx, image_path, source);
}

static int add_store_paths(struct sqw_tree *t, const struct image_spec *s, struct exclude_ctx *x,
                           struct sn_error *err)
{
    for (size_t i = 0; i < closure_count(s->closure); i++) {
        const char *path = closure_at(s->closure, i)->path;
        report(s, path, NULL);
        if (sqw_tree_add_host(t, path + 1, path, s->n_excludes ? exclude_cb : NULL, x, err) < 0)
            return -1;
    }
    return 0;
}

static int add_desktop(struct sqw_tree *t, const struct image_spec *s, struct sn_error *err)
{
    for (size_t i = 0; s->desktop && i < s->desktop->n_items; i++) {
        const struct desktop_item *it = &s->desktop->items[i];
        report(s, it->image_path, it->source ? it->source : it->target);
        int rc = it->source ? add_copy(t, it->image_path, it->source, 0644, err)
                            : sqw_tree_add_symlink(t, it->image_path, it->target, err);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static char *closure_list(const struct closure *c)
{
    size_t len = 1;
    for (size_t i = 0; i < closure_count(c); i++)
        len += strlen(closure_at(c, i)->path) + 1;
    char *s = malloc(len), *p = s;
    for (size_t i = 0; s && i < closure_count(c); i++)
        p += sprintf(p, "%s\n", closure_at(c, i)->path);
    if (s)
        *p = '\0';
    return s;
}

static char *info_json(const struct image_spec *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "squashnix", json_string(SQUASHNIX_VERSION));
    json_object_set_new(o, "program", json_string(s->program));
    json_object_set_new(o, "compression", json_string(s->compression));
    json_object_set_new(o, "level", s->level >= 0 ? json_integer(s->level) : json_null());
    json_object_set_new(o, "blockSize", json_integer(s->block_size ? s->block_size : 131072));
    json_object_set_new(o, "sourceDateEpoch",
                        s->source_date_epoch >= 0 ? json_integer(s->source_date_epoch)
                                                  : json_null());
    json_object_set_new(o, "paths", json_integer((json_int_t)closure_count(s->closure)));
    char *text = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(2));
    json_decref(o);
    return text;
}

static int add_metadata(struct sqw_tree *t, const struct image_spec *s, struct sn_error *err)
{
    char *list = closure_list(s->closure), *info = info_json(s);
    int rc = -1;
    if (!list || !info)
        sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    else if (sqw_tree_add_memory(t, ".squashnix/closure", list, strlen(list), 0644, err) == 0 &&
             sqw_tree_add_memory(t, ".squashnix/info.json", info, strlen(info), 0644, err) == 0)
        rc = 0;
    report(s, ".squashnix/closure", NULL);
    report(s, ".squashnix/info.json", NULL);
    free(list);
    free(info);
    return rc;
}

static int build_closure(struct sqw_tree *t, const struct image_spec *s, struct exclude_ctx *x,
                         struct sn_error *err)
{
    if (protect_program(x, s->program, err) < 0 || add_store_paths(t, s, x, err) < 0)
        return -1;
    report(s, "AppRun", s->entry);
    if (add_copy(t, "AppRun", s->entry, 0755, err) < 0)
        return -1;
    report(s, "entrypoint", s->program);
    if (sqw_tree_add_symlink(t, "entrypoint", s->program, err) < 0 ||
        sqw_tree_add_dir(t, "mountroot", 0755, err) < 0 || add_desktop(t, s, err) < 0)
        return -1;
    return add_metadata(t, s, err);
}

int image_build_closure(const struct image_spec *spec, struct sqw_tree **out, struct sn_error *err)
{
    struct exclude_ctx x = {.spec = spec};
    struct sqw_tree *t = sqw_tree_new();
    if (!t)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    int rc = build_closure(t, spec, &x, err);
    for (size_t i = 0; i < x.n_keep; i++)
        free(x.keep[i]);
    if (rc < 0) {
        sqw_tree_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

static int check_apprun(const char *dir, struct sn_error *err)
{
    char path[PATH_MAX];
    struct stat st;
    if ((size_t)snprintf(path, sizeof(path), "%s/AppRun", dir) >= sizeof(path))
        return sn_error_set(err, SN_ERR_INPUT, "--appdir %s: path too long", dir);
    if (stat(path, &st) < 0)
        return sn_error_errno(err, errno,
                              "--appdir %s: no AppRun (an AppDir needs an executable "
                              "AppRun at its top)",
                              dir);
    if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0)
        return sn_error_set(err, SN_ERR_INPUT, "--appdir %s: AppRun is not an executable file",
                            dir);
    return 0;
}

static int build_appdir(struct sqw_tree *t, const char *dir, struct sn_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sn_error_errno(err, errno, "--appdir %s", dir);
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d)) != NULL;) {
        char path[PATH_MAX];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
            rc = sn_error_set(err, SN_ERR_INPUT, "%s/%s: path too long", dir, e->d_name);
        else
            rc = sqw_tree_add_host(t, e->d_name, path, NULL, NULL, err);
    }
    closedir(d);
    return rc;
}

int image_build_appdir(const char *dir, struct sqw_tree **out, struct sn_error *err)
{
    if (check_apprun(dir, err) < 0)
        return -1;
    struct sqw_tree *t = sqw_tree_new();
    if (!t)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    if (build_appdir(t, dir, err) < 0) {
        sqw_tree_free(t);
        return -1;
    }
    *out = t;
    return 0;
}
