/* File data. Duplicates: only files whose size another file shares can be duplicates, so only
 * those are hashed (one extra read, served by the page cache for the read that follows); a file
 * smaller than a block is read once into memory, hashed and packed from there. A hash match is
 * confirmed byte for byte before the earlier file's blocks are shared, so a duplicate costs reads
 * and never compression time. */
#include "data.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "sqfs_format.h"

/* A file's content being read. */
struct src {
    const struct sqw_file *f;
    int fd;
    uint64_t next_data; /* no data before this offset (SEEK_DATA), from the last query */
};

/* A fragment being filled. Small files and the tail ends of larger files fill separate fragments
 * (as mksquashfs does): tails of binaries compress better next to each other than between small
 * files. Files of a group (a store path) fill their own pair, closed when the next group begins,
 * so that an unchanged group keeps its fragment bytes; ungrouped files (the image root's) fill
 * another pair, closed last, so that their fragments sit beside the tables, which change too.
 * A fragment's index is taken when it is begun. */
struct frag_stream {
    unsigned char *buf;
    size_t fill;
    uint32_t index;
};

struct dw {
    struct sqw_file *const *order;
    size_t n;
    uint32_t bs;
    struct sqw_pipe *pipe;
    struct sqw_data *data;
    unsigned char *scratch[2];     /* block-sized buffers for hashing and comparing */
    unsigned char *small;          /* a small candidate file's content, read once */
    struct frag_stream streams[4]; /* grouped small files and tails, ungrouped small and tails */
    int ungrouped;                 /* the file being written uses streams 2 and 3 */
    uint32_t next_frag;            /* index of the next fragment begun */
    unsigned char *candidate;      /* by order index: another file has the same size */
    uint64_t *hash;                /* by order index, for candidates */
    size_t *chain; /* by order index: next candidate with the same key, or SIZE_MAX */
    size_t *table; /* open addressing: order index of a chain head, or SIZE_MAX */
    size_t table_cap;
};

static int src_open(struct src *s, const struct sqw_file *f, struct sn_error *err)
{
    s->f = f;
    s->fd = -1;
    s->next_data = 0;
    if (f->host_path == NULL)
        return 0;
    /* O_NONBLOCK|O_NOFOLLOW: a fifo or symlink planted since the walk must not block or redirect
     * us; the identity check below refuses it. */
    s->fd = open(f->host_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (s->fd < 0)
        return sn_error_errno(err, errno, "cannot open %s", f->host_path);
    struct stat st;
    if (fstat(s->fd, &st) < 0)
        return sn_error_errno(err, errno, "cannot stat %s", f->host_path);
    if (!S_ISREG(st.st_mode) || st.st_dev != f->dev || st.st_ino != f->ino ||
        (uint64_t)st.st_size != f->size)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s changed while the image was being made (was a %llu-byte regular "
                            "file); run again on an unchanging tree",
                            f->host_path, (unsigned long long)f->size);
    return 0;
}

static void src_close(struct src *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

static const char *src_name(const struct src *s)
{
    return s->f->host_path ? s->f->host_path : "(file in memory)";
}

static int src_read(struct src *s, uint64_t off, void *buf, size_t len, struct sn_error *err)
{
    if (s->fd < 0) {
        memcpy(buf, s->f->mem + off, len);
        return 0;
    }
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = pread(s->fd, p, len, (off_t)off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sn_error_errno(err, errno, "reading %s at byte %llu", src_name(s),
                                  (unsigned long long)off);
        if (n == 0)
            return sn_error_set(err, SN_ERR_INPUT,
                                "%s shrank while the image was being made; run again on an "
                                "unchanging tree",
                                src_name(s));
        p += n;
        off += (uint64_t)n;
        len -= (size_t)n;
    }
    return 0;
}

/* Whether [OFF, OFF+LEN) is a hole of a sparse host file (so it need not be read). */
static int src_is_hole(struct src *s, uint64_t off, size_t len)
{
    if (s->fd < 0)
        return 0;
    if (s->next_data <= off) {
        off_t d = lseek(s->fd, (off_t)off, SEEK_DATA);
        if (d >= 0)
            s->next_data = (uint64_t)d;
        else
            s->next_data = errno == ENXIO ? s->f->size : off; /* ENXIO: holes to the end */
    }
    return s->next_data >= off + len;
}

static int src_hash(struct dw *w, struct src *s, unsigned char *held, uint64_t *out,
                    struct sn_error *err)
{
    struct sqw_hash h;
    sqw_hash_init(&h);
    for (uint64_t off = 0; off < s->f->size; off += w->bs) {
        size_t len = s->f->size - off < w->bs ? (size_t)(s->f->size - off) : w->bs;
        unsigned char *buf = held ? held : w->scratch[0];
        if (src_read(s, off, buf, len, err) < 0)
            return -1;
        sqw_hash_update(&h, buf, len);
    }
    *out = sqw_hash_final(&h);
    return 0;
}

/* Whether the content of S equals that of file B (same size), reading both. HELD: S's content
 * when already in memory. */
static int same_content(struct dw *w, struct src *s, const unsigned char *held,
                        const struct sqw_file *b, struct sn_error *err)
{
    struct src o;
    int rc = src_open(&o, b, err);
    for (uint64_t off = 0; rc == 0 && off < b->size; off += w->bs) {
        size_t len = b->size - off < w->bs ? (size_t)(b->size - off) : w->bs;
        const unsigned char *mine = held;
        if (mine == NULL && (rc = src_read(s, off, w->scratch[0], len, err)) < 0)
            break;
        if (mine == NULL)
            mine = w->scratch[0];
        if ((rc = src_read(&o, off, w->scratch[1], len, err)) < 0)
            break;
        if (memcmp(mine, w->scratch[1], len) != 0)
            rc = 1;
    }
    src_close(&o);
    return rc < 0 ? -1 : rc == 0;
}

static size_t key_slot(const struct dw *w, uint64_t size, uint64_t hash)
{
    uint64_t k = (hash ^ (size * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull;
    return (size_t)(k >> 17) & (w->table_cap - 1);
}

/* Looks for an earlier file identical to order[K] (a candidate whose hash is set). Returns its
 * order index, or SIZE_MAX when there is none (order[K] is then registered for later files); sets
 * *RC to -1 when reading failed. */
static size_t find_duplicate(struct dw *w, size_t k, struct src *s, const unsigned char *held,
                             int *rc, struct sn_error *err)
{
    uint64_t size = w->order[k]->size;
    size_t i = key_slot(w, size, w->hash[k]);
    for (; w->table[i] != SIZE_MAX; i = (i + 1) & (w->table_cap - 1)) {
        size_t j = w->table[i];
        if (w->order[j]->size != size || w->hash[j] != w->hash[k])
            continue;
        for (; j != SIZE_MAX; j = w->chain[j]) {
            int same = same_content(w, s, held, w->order[j], err);
            if (same < 0) {
                *rc = -1;
                return SIZE_MAX;
            }
            if (same)
                return j;
        }
        w->chain[k] = w->chain[w->table[i]];
        w->chain[w->table[i]] = k;
        return SIZE_MAX;
    }
    w->table[i] = k;
    return SIZE_MAX;
}

static int frag_flush(struct dw *w, struct frag_stream *fs, struct sn_error *err)
{
    if (fs->fill == 0)
        return 0;
    void *buf = sqw_pipe_buffer(w->pipe, err);
    if (buf == NULL)
        return -1;
    memcpy(buf, fs->buf, fs->fill);
    struct sqw_frag *fr = &w->data->frags[fs->index];
    struct sqw_block_sink sink = {&fr->size_word, &fr->start};
    if (sqw_pipe_submit(w->pipe, SQW_JOB_FRAGMENT, fs->fill, sink, err) < 0)
        return -1;
    fs->fill = 0;
    return 0;
}

static int frag_add(struct dw *w, struct src *s, const unsigned char *held, uint64_t off,
                    size_t len, struct sqw_fdata *d, struct sn_error *err)
{
    struct frag_stream *fs = &w->streams[2 * w->ungrouped + (off > 0)];
    if (fs->fill + len > w->bs && frag_flush(w, fs, err) < 0)
        return -1;
    if (fs->fill == 0)
        fs->index = w->next_frag++;
    unsigned char *dst = fs->buf + fs->fill;
    if (held != NULL)
        memcpy(dst, held + off, len);
    else if (src_read(s, off, dst, len, err) < 0)
        return -1;
    d->frag_index = fs->index;
    d->frag_offset = (uint32_t)fs->fill;
    fs->fill += len;
    return 0;
}

static int write_blocks(struct dw *w, struct src *s, struct sqw_fdata *d, struct sn_error *err)
{
    if (d->n_blocks == 0)
        return 0;
    d->blocks = calloc(d->n_blocks, sizeof(*d->blocks));
    if (d->blocks == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for the block list of %s",
                            src_name(s));
    for (uint32_t i = 0; i < d->n_blocks; i++) {
        uint64_t off = (uint64_t)i * w->bs;
        void *buf = sqw_pipe_buffer(w->pipe, err);
        if (buf == NULL)
            return -1;
        enum sqw_job kind = SQW_JOB_HOLE;
        if (!src_is_hole(s, off, w->bs)) {
            kind = SQW_JOB_DATA;
            if (src_read(s, off, buf, w->bs, err) < 0)
                return -1;
        }
        struct sqw_block_sink sink = {&d->blocks[i], i == 0 ? &d->start : NULL};
        if (sqw_pipe_submit(w->pipe, kind, w->bs, sink, err) < 0)
            return -1;
    }
    return 0;
}

/* Hashes a candidate and looks for an identical earlier file. Returns 1 when it is a duplicate
 * (recorded in D), 0 when not, -1 on failure. */
static int dedup(struct dw *w, size_t k, struct src *s, unsigned char *held, struct sqw_fdata *d,
                 struct sn_error *err)
{
    int rc = 0;
    if (src_hash(w, s, held, &w->hash[k], err) < 0)
        return -1;
    size_t j = find_duplicate(w, k, s, held, &rc, err);
    if (rc < 0)
        return -1;
    if (j == SIZE_MAX)
        return 0;
    d->same_as = &w->data->files[w->order[j]->id];
    w->data->dedup_bytes += s->f->size;
    sqw_pipe_skip(w->pipe, s->f->size);
    return 1;
}

static int write_file(struct dw *w, size_t k, struct sn_error *err)
{
    const struct sqw_file *f = w->order[k];
    struct sqw_fdata *d = &w->data->files[f->id];
    d->frag_index = SQFS_NO_FRAGMENT;
    d->n_blocks = (uint32_t)(f->size / w->bs);
    if (f->size == 0)
        return 0;
    struct src s;
    int rc = src_open(&s, f, err);
    /* A small candidate is read once, into memory, for hashing, comparing and packing. */
    unsigned char *held = w->candidate[k] && f->size < w->bs ? w->small : NULL;
    if (rc == 0 && w->candidate[k])
        rc = dedup(w, k, &s, held, d, err); /* 1: a duplicate, nothing to write */
    if (rc == 0)
        rc = write_blocks(w, &s, d, err);
    size_t tail = (size_t)(f->size % w->bs);
    if (rc == 0 && tail > 0)
        rc = frag_add(w, &s, held, f->size - tail, tail, d, err);
    src_close(&s);
    return rc < 0 ? -1 : 0;
}

static int cmp_size_index(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Marks the files whose size another file shares (pairs of size and order index, sorted). */
static int find_candidates(struct dw *w, struct sn_error *err)
{
    uint64_t *pairs = malloc(2 * w->n * sizeof(*pairs));
    if (pairs == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for duplicate detection");
    for (size_t i = 0; i < w->n; i++) {
        pairs[2 * i] = w->order[i]->size;
        pairs[2 * i + 1] = i;
    }
    qsort(pairs, w->n, 2 * sizeof(*pairs), cmp_size_index);
    for (size_t i = 0; i + 1 < w->n; i++) {
        if (pairs[2 * i] == pairs[2 * i + 2] && pairs[2 * i] > 0) {
            w->candidate[pairs[2 * i + 1]] = 1;
            w->candidate[pairs[2 * i + 3]] = 1;
        }
    }
    free(pairs);
    return 0;
}

static int dw_alloc(struct dw *w, size_t n_ids, struct sn_error *err)
{
    size_t n = w->n ? w->n : 1;
    w->table_cap = 16;
    while (w->table_cap < 2 * n)
        w->table_cap *= 2;
    w->candidate = calloc(n, 1);
    w->hash = calloc(n, sizeof(*w->hash));
    w->chain = malloc(n * sizeof(*w->chain));
    w->table = malloc(w->table_cap * sizeof(*w->table));
    w->scratch[0] = malloc(w->bs);
    w->scratch[1] = malloc(w->bs);
    w->small = malloc(w->bs);
    for (int i = 0; i < 4; i++)
        w->streams[i].buf = malloc(w->bs);
    w->data->files = calloc(n_ids ? n_ids : 1, sizeof(*w->data->files));
    w->data->n_files = n_ids;
    /* At most one fragment per file with a tail end. */
    w->data->frags = calloc(n, sizeof(*w->data->frags));
    if (!w->candidate || !w->hash || !w->chain || !w->table || !w->scratch[0] || !w->scratch[1] ||
        !w->small || !w->streams[0].buf || !w->streams[1].buf || !w->streams[2].buf ||
        !w->streams[3].buf || !w->data->files || !w->data->frags)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for %zu files", w->n);
    memset(w->chain, 0xff, n * sizeof(*w->chain));
    memset(w->table, 0xff, w->table_cap * sizeof(*w->table));
    return find_candidates(w, err);
}

static void dw_free(struct dw *w)
{
    free(w->candidate);
    free(w->hash);
    free(w->chain);
    free(w->table);
    free(w->scratch[0]);
    free(w->scratch[1]);
    free(w->small);
    for (int i = 0; i < 4; i++)
        free(w->streams[i].buf);
    sqw_pipe_free(w->pipe);
}

/* Closes the fragments of streams FIRST and FIRST + 1. */
static int flush_pair(struct dw *w, int first, struct sn_error *err)
{
    return frag_flush(w, &w->streams[first], err) < 0 ? -1
                                                      : frag_flush(w, &w->streams[first + 1], err);
}

static int write_all(struct dw *w, const unsigned char *groups, struct sn_error *err)
{
    for (size_t k = 0; k < w->n; k++) {
        unsigned char g = groups ? groups[k] : SQW_UNGROUPED;
        if (g == SQW_GROUP_FIRST && flush_pair(w, 0, err) < 0)
            return -1;
        w->ungrouped = g == SQW_UNGROUPED;
        if (write_file(w, k, err) < 0)
            return -1;
    }
    if (flush_pair(w, 0, err) < 0 || flush_pair(w, 2, err) < 0)
        return -1;
    w->data->n_frags = w->next_frag;
    return sqw_pipe_finish(w->pipe, err);
}

int sqw_data_write(struct sqw_file *const *order, size_t n, size_t n_ids,
                   const unsigned char *groups, const struct sqw_pipe_config *cfg,
                   struct sqw_data *data, struct sn_error *err)
{
    memset(data, 0, sizeof(*data));
    struct dw w = {.order = order, .n = n, .bs = cfg->block_size, .data = data};
    int rc = dw_alloc(&w, n_ids, err);
    if (rc == 0)
        rc = sqw_pipe_start(cfg, &w.pipe, err);
    if (rc == 0)
        rc = write_all(&w, groups, err);
    dw_free(&w);
    return rc;
}

void sqw_data_free(struct sqw_data *data)
{
    for (size_t i = 0; data->files != NULL && i < data->n_files; i++)
        free(data->files[i].blocks);
    free(data->files);
    free(data->frags);
    memset(data, 0, sizeof(*data));
}
