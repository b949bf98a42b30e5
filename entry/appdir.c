/* Finding APPDIR, and reading the closure list and the entrypoint from it. */
#include "appdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debug.h"

/* The closure file is a list of store paths; a bundle of ten thousand paths is ~1 MB. */
#define CLOSURE_MAX_BYTES (16u * 1024 * 1024)
#define HASH_LEN          32

struct en_closure {
    char *text;      /* the file's bytes, newlines replaced by NULs */
    char *store_dir; /* the directory of the first path */
    char **paths;
    size_t count;
};

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;

    if (stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int appdir_from_env(char *out, size_t size)
{
    const char *env = getenv("APPDIR");
    char apprun[PATH_MAX];

    if (env == NULL || env[0] != '/')
        return -1;
    if (snprintf(apprun, sizeof(apprun), "%s/AppRun", env) >= (int)sizeof(apprun))
        return -1;
    /* A stale APPDIR (inherited from another bundle) must not choose another bundle's files. */
    if (!same_file(apprun, "/proc/self/exe")) {
        en_trace("APPDIR=%s does not hold this AppRun; using /proc/self/exe", env);
        return -1;
    }
    if (snprintf(out, size, "%s", env) >= (int)size)
        return -1;
    return 0;
}

int en_appdir_find(char *out, size_t size, struct en_err *err)
{
    char exe[PATH_MAX];
    ssize_t n;
    char *slash;

    if (appdir_from_env(out, size) == 0)
        return 0;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n < 0)
        return en_err_errno(err, errno, "cannot read the link /proc/self/exe (set APPDIR)");
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (exe[0] != '/' || slash == NULL)
        return en_err_set(err, "/proc/self/exe is not an absolute path: %s", exe);
    *slash = '\0';
    if (snprintf(out, size, "%s", exe[0] != '\0' ? exe : "/") >= (int)size)
        return en_err_set(err, "the bundle directory path is too long: %s", exe);
    return 0;
}

static int is_nixbase32(char c)
{
    /* Nix's base-32 alphabet: digits and lower-case letters without e, o, u, t. */
    return c != '\0' && strchr("0123456789abcdfghijklmnpqrsvwxyz", c) != NULL;
}

int en_store_name_valid(const char *name)
{
    size_t i;

    for (i = 0; i < HASH_LEN; i++)
        if (!is_nixbase32(name[i]))
            return 0;
    if (name[HASH_LEN] != '-' || name[HASH_LEN + 1] == '\0')
        return 0;
    return strchr(name, '/') == NULL;
}

int en_store_dir_valid(const char *dir)
{
    const char *comp = dir;
    size_t len, components = 0;

    if (dir[0] != '/')
        return 0;
    while (*comp == '/') {
        comp++;
        len = strcspn(comp, "/");
        if (len == 0 || (len == 1 && comp[0] == '.') || (len == 2 && strncmp(comp, "..", 2) == 0))
            return 0;
        comp += len;
        components++;
    }
    return *comp == '\0' && components >= 2;
}

/* Whether PATH is STORE_DIR "/" followed by a valid base name. */
static int in_store(const char *path, const char *store_dir)
{
    size_t len = strlen(store_dir);

    return strncmp(path, store_dir, len) == 0 && path[len] == '/' &&
           en_store_name_valid(path + len + 1);
}

static int set_store_dir(struct en_closure *c, const char *first, const char *what,
                         struct en_err *err)
{
    const char *slash = strrchr(first, '/');

    c->store_dir = strndup(first, slash != NULL ? (size_t)(slash - first) : 0);
    if (c->store_dir == NULL)
        return en_err_errno(err, ENOMEM, "%s", what);
    if (!en_store_dir_valid(c->store_dir))
        return en_err_set(err, "%s: line 1 is not an absolute store path (STORE/HASH-NAME): %.200s",
                          what, first);
    return 0;
}

void en_closure_free(struct en_closure *c)
{
    if (c == NULL)
        return;
    free(c->paths);
    free(c->store_dir);
    free(c->text);
    free(c);
}

static size_t count_lines(const char *text, size_t len)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++)
        if (text[i] == '\n')
            n++;
    return n;
}

static int split_lines(struct en_closure *c, size_t len, const char *what, struct en_err *err)
{
    char *line = c->text;
    size_t i;

    for (i = 0; i < len; i++) {
        if (c->text[i] == '\0')
            return en_err_set(err, "%s: NUL byte at offset %zu; rebuild the bundle", what, i);
        if (c->text[i] != '\n')
            continue;
        c->text[i] = '\0';
        if (c->count == 0 && set_store_dir(c, line, what, err) != 0)
            return -1;
        if (!in_store(line, c->store_dir))
            return en_err_set(err, "%s: line %zu is not a store path %s/HASH-NAME: %.200s", what,
                              c->count + 1, c->store_dir, line);
        c->paths[c->count++] = line;
        line = c->text + i + 1;
    }
    return 0;
}

struct en_closure *en_closure_parse(const char *text, size_t len, const char *what,
                                    struct en_err *err)
{
    struct en_closure *c;

    if (len == 0 || text[len - 1] != '\n') {
        en_err_set(err, "%s: empty, or the last line does not end with a newline", what);
        return NULL;
    }
    c = calloc(1, sizeof(*c));
    if (c != NULL)
        c->text = malloc(len);
    if (c != NULL && c->text != NULL)
        c->paths = calloc(count_lines(text, len), sizeof(*c->paths));
    if (c == NULL || c->text == NULL || c->paths == NULL) {
        en_closure_free(c);
        en_err_set(err, "%s: out of memory for %zu bytes", what, len);
        return NULL;
    }
    memcpy(c->text, text, len);
    if (split_lines(c, len, what, err) != 0) {
        en_closure_free(c);
        return NULL;
    }
    return c;
}

static int read_all(int fd, char *buf, size_t size, size_t *len)
{
    ssize_t n;

    *len = 0;
    while (*len < size) {
        n = read(fd, buf + *len, size - *len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        *len += (size_t)n;
    }
    return 0;
}

static char *slurp(const char *path, size_t *len, struct en_err *err)
{
    struct stat st;
    char *buf;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        en_err_errno(err, errno, "cannot open %s (is this a squashnix bundle?)", path);
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > CLOSURE_MAX_BYTES) {
        close(fd);
        en_err_set(err, "%s: not a regular file of at most %u bytes", path, CLOSURE_MAX_BYTES);
        return NULL;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (buf == NULL || read_all(fd, buf, (size_t)st.st_size, len) != 0) {
        en_err_errno(err, buf == NULL ? ENOMEM : errno, "cannot read %s", path);
        free(buf);
        close(fd);
        return NULL;
    }
    close(fd);
    return buf;
}

struct en_closure *en_closure_read(const char *appdir, struct en_err *err)
{
    char path[PATH_MAX];
    struct en_closure *c;
    size_t len;
    char *text;

    if (snprintf(path, sizeof(path), "%s/.squashnix/closure", appdir) >= (int)sizeof(path)) {
        en_err_set(err, "path too long: %s/.squashnix/closure", appdir);
        return NULL;
    }
    text = slurp(path, &len, err);
    if (text == NULL)
        return NULL;
    c = en_closure_parse(text, len, path, err);
    free(text);
    return c;
}

size_t en_closure_count(const struct en_closure *c)
{
    return c->count;
}

const char *en_closure_path(const struct en_closure *c, size_t i)
{
    return i < c->count ? c->paths[i] : NULL;
}

const char *en_closure_store_dir(const struct en_closure *c)
{
    return c->store_dir;
}

static int has_dotdot(const char *path)
{
    const char *p;

    for (p = strstr(path, ".."); p != NULL; p = strstr(p + 1, ".."))
        if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
            return 1;
    return 0;
}

/* Whether PATH lies in a store path of STORE_DIR: STORE_DIR/HASH-NAME[/...] without "..". */
static int under_store(const char *path, const char *store_dir)
{
    char first[PATH_MAX];
    size_t len = strlen(store_dir);

    if (strncmp(path, store_dir, len) != 0 || path[len] != '/' || has_dotdot(path))
        return 0;
    snprintf(first, sizeof(first), "%.*s", (int)strcspn(path + len + 1, "/"), path + len + 1);
    return en_store_name_valid(first);
}

int en_entrypoint_read(const char *appdir, const char *store_dir, char *out, size_t size,
                       struct en_err *err)
{
    char path[PATH_MAX];
    ssize_t n;

    if (snprintf(path, sizeof(path), "%s/entrypoint", appdir) >= (int)sizeof(path))
        return en_err_set(err, "path too long: %s/entrypoint", appdir);
    n = readlink(path, out, size - 1);
    if (n < 0)
        return en_err_errno(err, errno, "cannot read the symlink %s", path);
    if ((size_t)n >= size - 1)
        return en_err_set(err, "%s: target longer than %zu bytes", path, size - 2);
    out[n] = '\0';
    if (!under_store(out, store_dir))
        return en_err_set(err, "%s: target %s is not under %s; rebuild the bundle", path, out,
                          store_dir);
    return 0;
}
