/* Desktop integration. Everything read lies in a store path (root-owned, immutable) or is a file
 * the user named; files are read whole only when small (desktop files), icons are copied by the
 * writer from their path. */
#include "desktop.h"
#include "regular_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DESKTOP_MAX (256 * 1024)
#define WALK_DEPTH  8

static char *join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 2);
    if (s) {
        memcpy(s, a, la);
        s[la] = '/';
        memcpy(s + la + 1, b, lb + 1);
    }
    return s;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int read_small(const char *path, char **out, struct sn_error *err)
{
    int fd = regular_file_open(path, "file", err);
    if (fd < 0)
        return -1;
    char *buf = malloc(DESKTOP_MAX + 1);
    ssize_t n = buf ? read(fd, buf, DESKTOP_MAX + 1) : -1;
    int saved = errno;
    close(fd);
    if (n < 0 || n > DESKTOP_MAX) {
        free(buf);
        if (n > DESKTOP_MAX)
            return sn_error_set(err, SN_ERR_INPUT, "%s: larger than %d bytes", path, DESKTOP_MAX);
        return buf ? sn_error_errno(err, saved, "reading %s", path)
                   : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    }
    buf[n] = '\0';
    *out = buf;
    return 0;
}

int desktop_entry_value(const char *text, const char *key, char *buf, size_t len)
{
    int in_entry = 0;
    size_t klen = strlen(key);
    for (const char *line = text; *line; line += strcspn(line, "\n"), line += *line == '\n') {
        size_t n = strcspn(line, "\n");
        if (line[0] == '[') {
            in_entry = n == 15 && strncmp(line, "[Desktop Entry]", 15) == 0;
            continue;
        }
        if (!in_entry || n <= klen || strncmp(line, key, klen) != 0)
            continue;
        const char *v = line + klen;
        while (*v == ' ')
            v++;
        if (*v != '=')
            continue;
        v++;
        while (*v == ' ')
            v++;
        size_t vlen = n - (size_t)(v - line);
        if (vlen + 1 > len)
            return -1;
        memcpy(buf, v, vlen);
        buf[vlen] = '\0';
        return 0;
    }
    return -1;
}

static int add_item(struct desktop *d, const char *image_path, const char *source,
                    const char *target, struct sn_error *err)
{
    struct desktop_item *grown = realloc(d->items, (d->n_items + 1) * sizeof(*grown));
    if (!grown)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    d->items = grown;
    struct desktop_item *it = &d->items[d->n_items];
    it->image_path = strdup(image_path);
    it->source = source ? strdup(source) : NULL;
    it->target = target ? strdup(target) : NULL;
    d->n_items++;
    if (!it->image_path || (source && !it->source) || (target && !it->target))
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    return 0;
}

/* Whether the desktop file TEXT runs PROGRAM: the first word of Exec= has the same base name. */
static int runs_program(const char *text, const char *program)
{
    char exec[4096];
    if (desktop_entry_value(text, "Exec", exec, sizeof(exec)) < 0)
        return 0;
    exec[strcspn(exec, " \t")] = '\0';
    const char *a = strrchr(exec, '/') ? strrchr(exec, '/') + 1 : exec;
    const char *b = strrchr(program, '/') + 1;
    return strcmp(a, b) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of DIR ending with SUFFIX (none when DIR is missing). */
static int list_suffix(const char *dir, const char *suffix, char ***out, size_t *n,
                       struct sn_error *err)
{
    DIR *d = opendir(dir);
    *out = NULL;
    *n = 0;
    if (!d)
        return errno == ENOENT || errno == ENOTDIR ? 0
                                                   : sn_error_errno(err, errno, "opening %s", dir);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || !ends_with(e->d_name, suffix))
            continue;
        char **grown = realloc(*out, (*n + 1) * sizeof(*grown));
        if (!grown || !(grown[*n] = strdup(e->d_name))) {
            *out = grown ? grown : *out;
            closedir(d);
            return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
        }
        *out = grown;
        (*n)++;
    }
    closedir(d);
    qsort(*out, *n, sizeof(**out), cmp_str);
    return 0;
}

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* The package's desktop file for PROGRAM into *PATH (NULL when it has none). */
static int find_desktop_file(const char *top, const char *program, char **path, char **text,
                             struct sn_error *err)
{
    char *dir = join(top, "share/applications");
    char **names;
    size_t n;
    *path = *text = NULL;
    if (!dir || list_suffix(dir, ".desktop", &names, &n, err) < 0) {
        free(dir);
        return dir ? -1 : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *p = join(dir, names[i]), *t = NULL;
        if (!p || read_small(p, &t, err) < 0) {
            free(p);
            rc = -1;
            break;
        }
        if ((runs_program(t, program) || (n == 1 && i == 0)) && !*path) {
            *path = p;
            *text = t;
            continue;
        }
        free(p);
        free(t);
    }
    free_list(names, n);
    free(dir);
    return rc;
}

/* Width of a PNG (from its IHDR chunk), 0 when it is not a PNG. */
static uint32_t png_width(const char *path)
{
    unsigned char h[24];
    struct sn_error ignored;
    int fd = regular_file_open(path, "icon", &ignored);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, h, sizeof(h));
    close(fd);
    if (n != (ssize_t)sizeof(h) || memcmp(h, "\211PNG\r\n\032\n", 8) != 0 ||
        memcmp(h + 12, "IHDR", 4) != 0)
        return 0;
    return (uint32_t)h[16] << 24 | (uint32_t)h[17] << 16 | (uint32_t)h[18] << 8 | h[19];
}

struct icon_pick {
    char *path;
    int rank; /* 3: 256x256 PNG, 2: other PNG (by width), 1: SVG */
    uint32_t width;
};

static void consider(struct icon_pick *best, const char *path, const char *file, const char *icon)
{
    size_t il = strlen(icon);
    if (strncmp(file, icon, il) != 0)
        return;
    int rank = 0;
    uint32_t width = 0;
    if (strcmp(file + il, ".png") == 0 && (width = png_width(path)) > 0)
        rank = strstr(path, "/256x256/") || width == 256 ? 3 : 2;
    else if (strcmp(file + il, ".svg") == 0)
        rank = 1;
    if (rank == 0 || rank < best->rank || (rank == best->rank && width <= best->width))
        return;
    char *copy = strdup(path);
    if (!copy)
        return;
    free(best->path);
    best->path = copy;
    best->rank = rank;
    best->width = width;
}

/* Walks DIR (no symlinks followed, bounded depth) considering every file as an icon. Directory
 * entries are visited in sorted order so that ties resolve the same way every time. */
static void walk_icons(struct icon_pick *best, const char *dir, const char *icon, int depth)
{
    char **names;
    size_t n;
    struct sn_error ignored;
    if (depth > WALK_DEPTH || list_suffix(dir, "", &names, &n, &ignored) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        char *p = join(dir, names[i]);
        struct stat st;
        if (p && lstat(p, &st) == 0) {
            if (S_ISDIR(st.st_mode))
                walk_icons(best, p, icon, depth + 1);
            else if (S_ISREG(st.st_mode))
                consider(best, p, names[i], icon);
        }
        free(p);
    }
    free_list(names, n);
}

static char *resolve_icon(const char *top, const char *icon)
{
    struct icon_pick best = {NULL, 0, 0};
    if (icon[0] == '/')
        return is_file(icon) ? strdup(icon) : NULL;
    char *icons = join(top, "share/icons"), *pixmaps = join(top, "share/pixmaps");
    if (icons)
        walk_icons(&best, icons, icon, 0);
    if (pixmaps)
        walk_icons(&best, pixmaps, icon, WALK_DEPTH);
    free(icons);
    free(pixmaps);
    return best.path;
}

static const char *icon_ext(const char *path)
{
    return ends_with(path, ".png") ? "png" : ends_with(path, ".svg") ? "svg" : NULL;
}

/* Adds /<NAME>.<ext> and /.DirIcon for the icon file PATH. */
static int add_icon(struct desktop *d, const char *name, const char *path, struct sn_error *err)
{
    char image[512];
    const char *ext = icon_ext(path);
    if (!ext)
        return sn_error_set(err, SN_ERR_INPUT, "icon %s: only .png and .svg icons are supported",
                            path);
    if ((size_t)snprintf(image, sizeof(image), "%s.%s", name, ext) >= sizeof(image) ||
        strchr(name, '/') || name[0] == '.' || name[0] == '\0')
        return sn_error_set(err, SN_ERR_INPUT, "icon name '%s' is not a plain file name", name);
    if (add_item(d, image, path, NULL, err) < 0)
        return -1;
    return add_item(d, ".DirIcon", NULL, image, err);
}

static int add_metainfo(struct desktop *d, const char *top, struct sn_error *err)
{
    static const char *const dirs[] = {"share/metainfo", "share/appdata"};
    for (size_t k = 0; k < 2; k++) {
        char *dir = join(top, dirs[k]), **names;
        size_t n;
        if (!dir || list_suffix(dir, ".xml", &names, &n, err) < 0) {
            free(dir);
            return dir ? -1 : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
        }
        int rc = 0;
        for (size_t i = 0; i < n && rc == 0; i++) {
            char *src = join(dir, names[i]), *dst = join("usr/share/metainfo", names[i]);
            rc = src && dst ? add_item(d, dst, src, NULL, err)
                            : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
            free(src);
            free(dst);
        }
        free_list(names, n);
        free(dir);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The desktop file: the user's (checked) or the package's. */
static int choose_desktop(const char *top, const char *program, const char *desktop_file,
                          char **path, char **text, struct sn_error *err)
{
    if (!desktop_file)
        return find_desktop_file(top, program, path, text, err);
    if (!ends_with(desktop_file, ".desktop") || !is_file(desktop_file))
        return sn_error_set(err, SN_ERR_INPUT,
                            "--desktop-file %s: not a regular file named *.desktop", desktop_file);
    if (read_small(desktop_file, text, err) < 0)
        return -1;
    char name[256];
    if (desktop_entry_value(*text, "Name", name, sizeof(name)) < 0) {
        free(*text);
        *text = NULL;
        return sn_error_set(err, SN_ERR_INPUT,
                            "--desktop-file %s: no Name= in a [Desktop Entry] group", desktop_file);
    }
    *path = strdup(desktop_file);
    return *path ? 0 : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
}

static int collect_icon(struct desktop *d, const char *top, const char *text, const char *icon,
                        struct sn_error *err)
{
    char name[256] = "";
    if (text)
        desktop_entry_value(text, "Icon", name, sizeof(name));
    if (icon) {
        if (!is_file(icon))
            return sn_error_set(err, SN_ERR_INPUT, "--icon %s: not a regular file", icon);
        if (name[0] == '\0' || name[0] == '/') {
            const char *base = strrchr(icon, '/') ? strrchr(icon, '/') + 1 : icon;
            snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
        }
        return add_icon(d, name, icon, err);
    }
    if (name[0] == '\0')
        return 0;
    char *path = resolve_icon(top, name);
    if (!path)
        return 0;
    if (name[0] == '/') {
        const char *base = strrchr(path, '/') + 1;
        snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
    }
    int rc = add_icon(d, name, path, err);
    free(path);
    return rc;
}

static int has_icon(const struct desktop *d)
{
    for (size_t i = 0; i < d->n_items; i++)
        if (strcmp(d->items[i].image_path, ".DirIcon") == 0)
            return 1;
    return 0;
}

int desktop_collect(const char *top, const char *program, const char *desktop_file,
                    const char *icon, struct desktop *out, struct sn_error *err)
{
    char *path = NULL, *text = NULL;
    memset(out, 0, sizeof(*out));
    int rc = choose_desktop(top, program, desktop_file, &path, &text, err);
    if (rc == 0 && path) {
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        rc = add_item(out, base, path, NULL, err);
    }
    if (rc == 0)
        rc = collect_icon(out, top, text, icon, err);
    if (rc == 0)
        rc = add_metainfo(out, top, err);
    if (rc == 0 && !path)
        snprintf(out->warning, sizeof(out->warning),
                 "%s has no share/applications/*.desktop for %s: the AppImage will have no "
                 ".desktop file%s (desktop menus and AppImage integration tools will not list "
                 "it); add them with --desktop-file and --icon",
                 top, strrchr(program, '/') + 1, has_icon(out) ? "" : " and no icon");
    else if (rc == 0 && !has_icon(out))
        snprintf(out->warning, sizeof(out->warning),
                 "no icon found for %s (Icon= not resolved in share/icons or share/pixmaps): the "
                 "AppImage will have no .DirIcon; add one with --icon",
                 path);
    free(path);
    free(text);
    if (rc < 0)
        desktop_free(out);
    return rc;
}

void desktop_free(struct desktop *d)
{
    for (size_t i = 0; i < d->n_items; i++) {
        free(d->items[i].image_path);
        free(d->items[i].source);
        free(d->items[i].target);
    }
    free(d->items);
    d->items = NULL;
    d->n_items = 0;
}
