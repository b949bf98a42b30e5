/* The image tree: nodes found by path through a hash table, hardlinks through a second one keyed
 * by (device, inode). */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

#include "sqfs_format.h"

struct link_slot {
    dev_t dev;
    ino_t ino;
    struct sqw_file *file;
};

struct sqw_tree {
    struct sqw_node *root;
    struct sqw_node **nodes; /* every node, by id */
    size_t n_nodes, cap_nodes;
    size_t n_files;
    struct sqw_node **by_path; /* open addressing, power-of-two size */
    size_t path_cap;
    struct link_slot *links;
    size_t link_cap, n_links;
    uint64_t excluded;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static uint64_t hash_ident(dev_t dev, ino_t ino)
{
    uint64_t h = (uint64_t)dev * 0x9E3779B97F4A7C15ull ^ (uint64_t)ino;
    return h * 0xBF58476D1CE4E5B9ull ^ (h >> 31);
}

static int path_insert(struct sqw_tree *t, struct sqw_node *n, struct sn_error *err);

static int path_grow(struct sqw_tree *t, struct sn_error *err)
{
    struct sqw_node **old = t->by_path;
    size_t old_cap = t->path_cap;
    t->path_cap = old_cap ? old_cap * 2 : 1024;
    t->by_path = calloc(t->path_cap, sizeof(*t->by_path));
    if (t->by_path == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for the image tree");
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != NULL)
            path_insert(t, old[i], err);
    free(old);
    return 0;
}

static int path_insert(struct sqw_tree *t, struct sqw_node *n, struct sn_error *err)
{
    if (2 * (t->n_nodes + 1) > t->path_cap && path_grow(t, err) < 0)
        return -1;
    size_t i = hash_str(n->path) & (t->path_cap - 1);
    while (t->by_path[i] != NULL)
        i = (i + 1) & (t->path_cap - 1);
    t->by_path[i] = n;
    return 0;
}

static struct sqw_node *path_find(const struct sqw_tree *t, const char *path)
{
    if (t->path_cap == 0)
        return NULL;
    size_t i = hash_str(path) & (t->path_cap - 1);
    for (; t->by_path[i] != NULL; i = (i + 1) & (t->path_cap - 1))
        if (strcmp(t->by_path[i]->path, path) == 0)
            return t->by_path[i];
    return NULL;
}

static int child_append(struct sqw_node *dir, struct sqw_node *child, struct sn_error *err)
{
    if (dir->n_children == dir->cap_children) {
        size_t cap = dir->cap_children ? dir->cap_children * 2 : 8;
        struct sqw_node **p = realloc(dir->children, cap * sizeof(*p));
        if (p == NULL)
            return sn_error_set(err, SN_ERR_NOMEM, "out of memory for the image tree");
        dir->children = p;
        dir->cap_children = cap;
    }
    dir->children[dir->n_children++] = child;
    return 0;
}

/* Creates node PATH (length LEN) under PARENT. */
static struct sqw_node *node_new(struct sqw_tree *t, struct sqw_node *parent, const char *path,
                                 size_t len, enum sqw_node_type type, struct sn_error *err)
{
    if (t->n_nodes == t->cap_nodes) {
        size_t cap = t->cap_nodes ? t->cap_nodes * 2 : 256;
        struct sqw_node **p = realloc(t->nodes, cap * sizeof(*p));
        if (p == NULL) {
            sn_error_set(err, SN_ERR_NOMEM, "out of memory for the image tree");
            return NULL;
        }
        t->nodes = p;
        t->cap_nodes = cap;
    }
    struct sqw_node *n = calloc(1, sizeof(*n));
    if (n == NULL || (n->path = strndup(path, len)) == NULL) {
        free(n);
        sn_error_set(err, SN_ERR_NOMEM, "out of memory for the image tree");
        return NULL;
    }
    const char *slash = strrchr(n->path, '/');
    n->name = slash ? slash + 1 : n->path;
    n->parent = parent;
    n->type = type;
    n->mode = 0755;
    n->id = t->n_nodes;
    if (path_insert(t, n, err) < 0 || (parent && child_append(parent, n, err) < 0)) {
        free(n->path);
        free(n);
        return NULL;
    }
    t->nodes[t->n_nodes++] = n;
    return n;
}

struct sqw_tree *sqw_tree_new(void)
{
    struct sqw_tree *t = calloc(1, sizeof(*t));
    struct sn_error err;
    if (t == NULL)
        return NULL;
    t->root = node_new(t, NULL, "", 0, SQW_NODE_DIR, &err);
    if (t->root == NULL) {
        sqw_tree_free(t);
        return NULL;
    }
    t->root->implicit = 1;
    return t;
}

void sqw_tree_free(struct sqw_tree *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n_nodes; i++) {
        struct sqw_node *n = t->nodes[i];
        if (n->file != NULL && --n->file->nlink == 0) {
            free(n->file->host_path);
            free(n->file->mem);
            free(n->file);
        }
        free(n->children);
        free(n->target);
        free(n->path);
        free(n);
    }
    free(t->nodes);
    free(t->by_path);
    free(t->links);
    free(t);
}

struct sqw_node *sqw_tree_root(const struct sqw_tree *t)
{
    return t->root;
}

size_t sqw_tree_node_count(const struct sqw_tree *t)
{
    return t->n_nodes;
}

size_t sqw_tree_file_count(const struct sqw_tree *t)
{
    return t->n_files;
}

uint64_t sqw_tree_excluded_bytes(const struct sqw_tree *t)
{
    return t->excluded;
}

void sqw_tree_count_excluded(struct sqw_tree *t, uint64_t bytes)
{
    t->excluded += bytes;
}

/* Checks an image path: relative, components neither empty nor "." nor "..", none longer than
 * squashfs allows. */
static int check_path(const char *dest, struct sn_error *err)
{
    const char *p = dest;
    if (*p == '/')
        return sn_error_set(err, SN_ERR_INPUT,
                            "image path '%s' starts with '/'; give it relative to the image root",
                            dest);
    while (*p) {
        const char *end = strchrnul(p, '/');
        size_t len = (size_t)(end - p);
        if (len == 0 || (len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.'))
            return sn_error_set(err, SN_ERR_INPUT,
                                "image path '%s' has an empty, '.' or '..' component", dest);
        if (len > SQFS_NAME_MAX)
            return sn_error_set(err, SN_ERR_INPUT,
                                "image path '%s' has a name longer than %d bytes", dest,
                                SQFS_NAME_MAX);
        p = *end ? end + 1 : end;
    }
    if (p > dest && p[-1] == '/')
        return sn_error_set(err, SN_ERR_INPUT, "image path '%s' ends with '/'", dest);
    return 0;
}

/* The directory that will hold DEST, created (implicit) where missing. */
static struct sqw_node *parent_dir(struct sqw_tree *t, const char *dest, struct sn_error *err)
{
    struct sqw_node *dir = t->root;
    const char *slash;
    for (const char *p = dest; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
        size_t len = (size_t)(slash - dest);
        char *prefix = strndup(dest, len);
        if (prefix == NULL) {
            sn_error_set(err, SN_ERR_NOMEM, "out of memory for the image tree");
            return NULL;
        }
        struct sqw_node *n = path_find(t, prefix);
        free(prefix);
        if (n == NULL) {
            n = node_new(t, dir, dest, len, SQW_NODE_DIR, err);
            if (n == NULL)
                return NULL;
            n->implicit = 1;
        } else if (n->type != SQW_NODE_DIR) {
            sn_error_set(err, SN_ERR_INPUT, "cannot add '%s': '%.*s' is not a directory", dest,
                         (int)len, dest);
            return NULL;
        }
        dir = n;
    }
    return dir;
}

/* A new node for DEST of TYPE; an implicit directory is claimed by an explicit directory. */
static struct sqw_node *add_node(struct sqw_tree *t, const char *dest, enum sqw_node_type type,
                                 struct sn_error *err)
{
    if (check_path(dest, err) < 0)
        return NULL;
    struct sqw_node *n = path_find(t, dest);
    if (n != NULL) {
        if (n->type == SQW_NODE_DIR && n->implicit && type == SQW_NODE_DIR) {
            n->implicit = 0;
            return n;
        }
        sn_error_set(err, SN_ERR_INPUT, "image path '/%s' is added twice", dest);
        return NULL;
    }
    if (*dest == '\0') {
        sn_error_set(err, SN_ERR_INPUT, "the image root can only be a directory");
        return NULL;
    }
    struct sqw_node *dir = parent_dir(t, dest, err);
    if (dir == NULL)
        return NULL;
    return node_new(t, dir, dest, strlen(dest), type, err);
}

int sqw_tree_put_dir(struct sqw_tree *t, const char *dest, mode_t mode, int64_t mtime,
                     struct sn_error *err)
{
    struct sqw_node *n = add_node(t, dest, SQW_NODE_DIR, err);
    if (n == NULL)
        return -1;
    n->mode = mode & 07777;
    n->mtime = mtime;
    return 0;
}

int sqw_tree_put_symlink(struct sqw_tree *t, const char *dest, const char *target, int64_t mtime,
                         struct sn_error *err)
{
    if (*target == '\0')
        return sn_error_set(err, SN_ERR_INPUT, "symlink '/%s' has an empty target", dest);
    struct sqw_node *n = add_node(t, dest, SQW_NODE_SYMLINK, err);
    if (n == NULL)
        return -1;
    n->mode = 0777;
    n->mtime = mtime;
    n->target = strdup(target);
    if (n->target == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for the image tree");
    return 0;
}

static struct sqw_file *link_find(struct sqw_tree *t, dev_t dev, ino_t ino)
{
    if (t->link_cap == 0)
        return NULL;
    size_t i = hash_ident(dev, ino) & (t->link_cap - 1);
    for (; t->links[i].file != NULL; i = (i + 1) & (t->link_cap - 1))
        if (t->links[i].dev == dev && t->links[i].ino == ino)
            return t->links[i].file;
    return NULL;
}

static void link_place(struct link_slot *tab, size_t cap, struct link_slot s)
{
    size_t i = hash_ident(s.dev, s.ino) & (cap - 1);
    while (tab[i].file != NULL)
        i = (i + 1) & (cap - 1);
    tab[i] = s;
}

static int link_insert(struct sqw_tree *t, struct sqw_file *f, struct sn_error *err)
{
    if (2 * (t->n_links + 1) > t->link_cap) {
        size_t cap = t->link_cap ? t->link_cap * 2 : 256;
        struct link_slot *tab = calloc(cap, sizeof(*tab));
        if (tab == NULL)
            return sn_error_set(err, SN_ERR_NOMEM, "out of memory for the image tree");
        for (size_t i = 0; i < t->link_cap; i++)
            if (t->links[i].file != NULL)
                link_place(tab, cap, t->links[i]);
        free(t->links);
        t->links = tab;
        t->link_cap = cap;
    }
    link_place(t->links, t->link_cap, (struct link_slot){f->dev, f->ino, f});
    t->n_links++;
    return 0;
}

static struct sqw_node *add_file_node(struct sqw_tree *t, const char *dest, mode_t mode,
                                      int64_t mtime, struct sn_error *err)
{
    struct sqw_node *n = add_node(t, dest, SQW_NODE_FILE, err);
    if (n == NULL)
        return NULL;
    n->mode = mode & 07777;
    n->mtime = mtime;
    return n;
}

int sqw_tree_put_host_file(struct sqw_tree *t, const char *dest, const char *host_path,
                           uint64_t size, dev_t dev, ino_t ino, mode_t mode, int64_t mtime,
                           struct sn_error *err)
{
    struct sqw_file *f = link_find(t, dev, ino);
    struct sqw_node *n = add_file_node(t, dest, mode, mtime, err);
    if (n == NULL)
        return -1;
    if (f != NULL) {
        f->nlink++;
        n->file = f;
        return 0;
    }
    f = calloc(1, sizeof(*f));
    if (f == NULL || (f->host_path = strdup(host_path)) == NULL) {
        free(f);
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for the image tree");
    }
    f->size = size;
    f->dev = dev;
    f->ino = ino;
    f->nlink = 1;
    f->id = t->n_files++;
    n->file = f;
    return link_insert(t, f, err);
}

int sqw_tree_add_dir(struct sqw_tree *t, const char *dest, mode_t mode, struct sn_error *err)
{
    return sqw_tree_put_dir(t, dest, mode, 0, err);
}

int sqw_tree_add_symlink(struct sqw_tree *t, const char *dest, const char *target,
                         struct sn_error *err)
{
    return sqw_tree_put_symlink(t, dest, target, 0, err);
}

int sqw_tree_add_memory(struct sqw_tree *t, const char *dest, const void *data, size_t len,
                        mode_t mode, struct sn_error *err)
{
    struct sqw_node *n = add_file_node(t, dest, mode, 0, err);
    if (n == NULL)
        return -1;
    struct sqw_file *f = calloc(1, sizeof(*f));
    if (f == NULL || (f->mem = malloc(len ? len : 1)) == NULL) {
        free(f);
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for '/%s' (%zu bytes)", dest, len);
    }
    if (len > 0)
        memcpy(f->mem, data, len);
    f->size = len;
    f->nlink = 1;
    f->id = t->n_files++;
    n->file = f;
    return 0;
}
