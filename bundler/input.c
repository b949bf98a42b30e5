/* Closure input. Files are read whole with a bound (the closure reader's own document limit plus
 * one byte, so that it can report an over-long document itself). */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nix_query.h"
#include "program.h"

#define READ_MAX (((size_t)64 << 20) + 1)

void input_free_paths(char **paths, size_t n)
{
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
}

static int resolve_one(const char *arg, char **out, struct sn_error *err)
{
    char real[PATH_MAX], store[PATH_MAX];
    if (!realpath(arg, real)) {
        if (errno == ENOENT)
            return sn_error_set(err, SN_ERR_INPUT,
                                "%s does not exist: build it first (nix-build, nix build) and "
                                "give its store path or the ./result link",
                                arg);
        return sn_error_errno(err, errno, "resolving %s", arg);
    }
    if (program_store_path(real, store, sizeof(store)) < 0)
        return sn_error_set(err, SN_ERR_INPUT, "%s (%s) is not in %s: give a Nix store path", arg,
                            real, CLOSURE_STORE_DIR);
    if (strcmp(store, real) != 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s is inside the store path %s: give the store path, and the "
                            "program inside it with --program",
                            arg, store);
    *out = strdup(real);
    return *out ? 0 : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
}

int input_store_paths(const struct sn_options *o, char ***out, struct sn_error *err)
{
    char **paths = calloc(o->n_store_paths + 1, sizeof(*paths));
    if (!paths)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < o->n_store_paths; i++)
        if (resolve_one(o->store_paths[i], &paths[i], err) < 0) {
            input_free_paths(paths, o->n_store_paths);
            return -1;
        }
    *out = paths;
    return 0;
}

/* Reads FD to its end (at most READ_MAX bytes); SIZE_HINT, when nonzero, is the expected size
 * (a regular file's), so that the buffer is allocated once instead of grown by doubling. */
static int read_all(int fd, const char *name, size_t size_hint, char **buf, size_t *len,
                    struct sn_error *err)
{
    size_t cap = size_hint > 0 && size_hint < READ_MAX ? size_hint + 1 : 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        if (n == cap) {
            if (cap >= READ_MAX)
                break;
            cap = cap * 2 > READ_MAX ? READ_MAX : cap * 2;
            char *grown = realloc(b, cap + 1);
            if (!grown) {
                free(b);
                b = NULL;
                break;
            }
            b = grown;
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(b);
            return sn_error_errno(err, errno, "reading %s", name);
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (!b)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory reading %s", name);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

static int read_closure_file(const char *file, char **buf, size_t *len, struct sn_error *err)
{
    if (strcmp(file, "-") == 0)
        return read_all(STDIN_FILENO, "standard input", 0, buf, len, err);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? sn_error_set(err, SN_ERR_INPUT, "--closure %s: no such file", file)
                               : sn_error_errno(err, errno, "opening --closure %s", file);
    /* A regular file over the limit is refused from its size, without reading it. */
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int saved = errno;
        close(fd);
        return sn_error_errno(err, saved, "fstat --closure %s", file);
    }
    if (S_ISREG(st.st_mode) && (size_t)st.st_size >= READ_MAX) {
        close(fd);
        return sn_error_set(err, SN_ERR_INPUT,
                            "--closure %s: %jd bytes, over the limit of %zu MiB for a closure "
                            "document",
                            file, (intmax_t)st.st_size, (READ_MAX - 1) >> 20);
    }
    int rc = read_all(fd, file, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, buf, len, err);
    close(fd);
    return rc;
}

int input_load_closure(const struct sn_options *o, char *const *paths, size_t n,
                       struct closure **out, struct sn_error *err)
{
    char *buf;
    size_t len;
    int rc = o->closure_file ? read_closure_file(o->closure_file, &buf, &len, err)
                             : nix_path_info((const char *const *)paths, n, &buf, &len, err);
    if (rc < 0)
        return -1;
    rc = closure_parse(buf, len, o->closure_key, out, err);
    free(buf);
    if (rc < 0 && o->closure_file) {
        char msg[sizeof(err->msg)];
        snprintf(msg, sizeof(msg), "%s", err->msg);
        sn_error_set(err, err->kind, "--closure %s: %.900s", o->closure_file, msg);
    }
    return rc;
}

static int referenced_by_other(const struct closure *c, const char *path)
{
    for (size_t i = 0; i < closure_count(c); i++) {
        const struct closure_entry *e = closure_at(c, i);
        if (strcmp(e->path, path) == 0)
            continue;
        for (size_t r = 0; r < e->n_refs; r++)
            if (strcmp(e->refs[r], path) == 0)
                return 1;
    }
    return 0;
}

/* The closure's only root (a path no other path references). */
static int only_root(const struct closure *c, char *buf, size_t len, struct sn_error *err)
{
    char list[768] = "";
    size_t roots = 0;
    for (size_t i = 0; i < closure_count(c); i++) {
        const char *p = closure_at(c, i)->path;
        if (referenced_by_other(c, p))
            continue;
        if (roots++ == 0)
            snprintf(buf, len, "%s", p);
        size_t used = strlen(list);
        snprintf(list + used, sizeof(list) - used, "%s%s", used ? ", " : "", p);
    }
    if (roots == 1)
        return 0;
    if (roots == 0)
        return sn_error_set(err, SN_ERR_INPUT, "the closure is empty: nothing to bundle");
    return sn_error_set(err, SN_ERR_INPUT,
                        "the closure has %zu top store paths (%s): name the package as "
                        "STORE_PATH or give --program /nix/store/...",
                        roots, list);
}

int input_top_path(const struct sn_options *o, char *const *paths, size_t n,
                   const struct closure *c, char *buf, size_t len, struct sn_error *err)
{
    if (n > 0)
        snprintf(buf, len, "%s", paths[0]);
    else if (o->program && o->program[0] == '/') {
        if (program_store_path(o->program, buf, len) < 0)
            return sn_error_set(err, SN_ERR_INPUT, "--program %s is not in %s", o->program,
                                CLOSURE_STORE_DIR);
    } else if (only_root(c, buf, len, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!closure_find(c, paths[i]))
            return sn_error_set(err, SN_ERR_INPUT, "%s is not in the closure", paths[i]);
    if (!closure_find(c, buf))
        return sn_error_set(err, SN_ERR_INPUT, "%s is not in the closure", buf);
    return 0;
}
