/* The depth-first walk of the tree: an explicit stack of open directories (never recursion on
 * image-controlled depth), at most RT_SQFS_MAX_DEPTH deep, and a set of the directories entered so
 * far: a directory listed twice (a cycle back to an ancestor, or a shared subtree that would make
 * the walk exponential) is refused, so the walk reads each directory listing once. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sqfs/internal.h"

struct frame {
    struct rsq_dir dir;
    struct rt_sqfs_inode inode;
    size_t len;      /* of its path */
    size_t name_off; /* where its name starts in the path */
};

struct rt_sqfs_walk {
    struct rt_sqfs *fs;
    struct frame stack[RT_SQFS_MAX_DEPTH + 1]; /* [0] is the root */
    size_t depth;
    int enter;   /* the current entry is a directory: enter it on the next step */
    int dir_end; /* the current event is a directory's end */
    struct rt_sqfs_inode inode;
    char path[RT_SQFS_MAX_PATH];
    size_t name_off;
    uint64_t *seen; /* open addressing: directory reference + 1, 0 when free */
    size_t seen_cap, seen_count;
};

static size_t slot(uint64_t key, size_t cap)
{
    key *= 0x9e3779b97f4a7c15ULL;
    return (size_t)(key >> 32) & (cap - 1);
}

static int seen_grow(struct rt_sqfs_walk *w, struct rt_error *err)
{
    size_t cap = w->seen_cap ? w->seen_cap * 2 : 64;
    uint64_t *t = calloc(cap, sizeof(*t));

    if (!t)
        return rt_fail_errno(err, ENOMEM, "walking the squashfs image");
    for (size_t i = 0; i < w->seen_cap; i++) {
        size_t j;

        if (!w->seen[i])
            continue;
        for (j = slot(w->seen[i], cap); t[j]; j = (j + 1) & (cap - 1))
            ;
        t[j] = w->seen[i];
    }
    free(w->seen);
    w->seen = t;
    w->seen_cap = cap;
    return 0;
}

/* Adds a directory to the set; fails when it is there already. */
static int mark_seen(struct rt_sqfs_walk *w, const struct rt_sqfs_inode *dir, struct rt_error *err)
{
    uint64_t key = dir->ref + 1;
    size_t i;

    if (2 * (w->seen_count + 1) > w->seen_cap && seen_grow(w, err) < 0)
        return -1;
    for (i = slot(key, w->seen_cap); w->seen[i]; i = (i + 1) & (w->seen_cap - 1)) {
        if (w->seen[i] == key)
            return rt_fail(err, RSQ_CORRUPT "directory %s is listed twice (a cycle)",
                           w->depth ? w->path : "/");
    }
    w->seen[i] = key;
    w->seen_count++;
    return 0;
}

static int push(struct rt_sqfs_walk *w, const struct rt_sqfs_inode *dir, size_t len,
                size_t name_off, struct rt_error *err)
{
    struct frame *f;

    if (w->depth > RT_SQFS_MAX_DEPTH)
        return rt_fail(err, RSQ_CORRUPT "directories nested deeper than %d at %s",
                       RT_SQFS_MAX_DEPTH, w->path);
    if (mark_seen(w, dir, err) < 0)
        return -1;
    f = &w->stack[w->depth];
    if (rsq_dir_open(w->fs, dir, &f->dir, err) < 0)
        return -1;
    f->inode = *dir;
    f->len = len;
    f->name_off = name_off;
    w->depth++;
    return 0;
}

int rt_sqfs_walk_open(struct rt_sqfs *fs, struct rt_sqfs_walk **out, struct rt_error *err)
{
    struct rt_sqfs_walk *w = calloc(1, sizeof(*w));
    struct rt_sqfs_inode root;

    if (!w)
        return rt_fail_errno(err, ENOMEM, "walking the squashfs image");
    w->fs = fs;
    if (rt_sqfs_root(fs, &root, err) < 0 || push(w, &root, 0, 0, err) < 0) {
        rt_sqfs_walk_close(w);
        return -1;
    }
    *out = w;
    return 0;
}

void rt_sqfs_walk_close(struct rt_sqfs_walk *w)
{
    if (!w)
        return;
    free(w->seen);
    free(w);
}

/* Makes the path top's path + "/" + name. */
static int set_path(struct rt_sqfs_walk *w, const struct frame *top, const char *name,
                    struct rt_error *err)
{
    size_t at = top->len ? top->len + 1 : 0, n = strlen(name);

    if (at + n >= sizeof(w->path))
        return rt_fail(err, RSQ_CORRUPT "a path is longer than %d bytes under %s", RT_SQFS_MAX_PATH,
                       w->path);
    if (top->len)
        w->path[top->len] = '/';
    memcpy(w->path + at, name, n + 1);
    w->name_off = at;
    return 0;
}

/* The next entry of the top directory; at its end, the end event (or 0 for the root). */
static int step(struct rt_sqfs_walk *w, struct rt_error *err)
{
    struct frame *top = &w->stack[w->depth - 1];
    char name[RSQ_NAME_MAX + 1];
    uint64_t ref;
    unsigned kind;
    int rc = rsq_dir_next(w->fs, &top->dir, name, &ref, &kind, err);

    if (rc < 0)
        return -1;
    if (rc == 0) {
        w->depth--;
        if (w->depth == 0)
            return 0;
        w->dir_end = 1;
        w->inode = top->inode;
        w->path[top->len] = '\0';
        w->name_off = top->name_off;
        return 1;
    }
    if (set_path(w, top, name, err) < 0 || rt_sqfs_inode_read(w->fs, ref, &w->inode, err) < 0)
        return -1;
    if (w->inode.kind != kind)
        return rt_fail(err, RSQ_CORRUPT "%s is listed as type %u, its inode has type %u", w->path,
                       kind, w->inode.kind);
    w->enter = kind == RSQ_DIR;
    return 1;
}

int rt_sqfs_walk_next(struct rt_sqfs_walk *w, struct rt_error *err)
{
    if (w->depth == 0)
        return 0;
    w->dir_end = 0;
    if (w->enter) {
        w->enter = 0;
        if (push(w, &w->inode, strlen(w->path), w->name_off, err) < 0)
            return -1;
    }
    return step(w, err);
}

const char *rt_sqfs_walk_path(const struct rt_sqfs_walk *w)
{
    return w->path;
}

const char *rt_sqfs_walk_name(const struct rt_sqfs_walk *w)
{
    return w->path + w->name_off;
}

const struct rt_sqfs_inode *rt_sqfs_walk_inode(const struct rt_sqfs_walk *w)
{
    return &w->inode;
}

int rt_sqfs_walk_dir_end(const struct rt_sqfs_walk *w)
{
    return w->dir_end;
}
