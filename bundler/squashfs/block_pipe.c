/* The parallel block compressor. Slot of sequence number S is slots[S % depth]. Invariant:
 * written <= next_compress <= submitted <= written + depth; slots in [written, submitted) belong to
 * the workers until marked done, then to the calling thread, which writes and frees them in order.
 */
#include "block_pipe.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "compressor.h"
#include "sqfs_format.h"

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_DONE };

struct slot {
    unsigned char *in, *out;
    enum sqw_job kind;
    size_t len;
    struct sqw_block_sink sink;
    enum slot_state state;
    const unsigned char *result; /* what to write: IN, OUT, or nothing */
    size_t result_len;
    uint32_t word;
};

struct worker {
    struct sqw_pipe *pipe;
    struct sqw_codec *codec;
    pthread_t thread;
    int started;
};

struct sqw_pipe {
    struct sqw_pipe_config cfg;
    struct slot *slots;
    size_t depth;
    struct worker *workers;
    pthread_mutex_t lock;
    pthread_cond_t work; /* workers wait for queued slots */
    pthread_cond_t done; /* the calling thread waits for a finished slot */
    uint64_t submitted, next_compress, written;
    int stop;
    int failed;
    uint64_t progress_done;
};

static int all_zero(const unsigned char *p, size_t len)
{
    return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

/* Compresses one slot; returns -1 when the compressor library failed. */
static int process(struct worker *w, struct slot *s)
{
    s->result = NULL;
    s->result_len = 0;
    s->word = 0;
    if (s->kind == SQW_JOB_HOLE || (s->kind == SQW_JOB_DATA && all_zero(s->in, s->len)))
        return 0; /* sparse: size word 0, nothing written */
    long n = sqw_codec_compress(w->codec, s->in, s->len, s->out);
    if (n < 0)
        return -1;
    if (n == 0) {
        s->result = s->in;
        s->result_len = s->len;
        s->word = (uint32_t)s->len | SQFS_DATA_UNCOMP;
    } else {
        s->result = s->out;
        s->result_len = (size_t)n;
        s->word = (uint32_t)n;
    }
    return 0;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct sqw_pipe *p = w->pipe;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->next_compress == p->submitted)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->stop)
            break;
        struct slot *s = &p->slots[p->next_compress++ % p->depth];
        pthread_mutex_unlock(&p->lock);
        int rc = process(w, s);
        pthread_mutex_lock(&p->lock);
        if (rc < 0)
            p->failed = 1;
        s->state = SLOT_DONE;
        pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static int alloc_slots(struct sqw_pipe *p, struct sn_error *err)
{
    p->depth = 4 * (size_t)p->cfg.jobs + 4;
    p->slots = calloc(p->depth, sizeof(*p->slots));
    if (p->slots == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "cannot allocate the block queue");
    for (size_t i = 0; i < p->depth; i++) {
        p->slots[i].in = malloc(p->cfg.block_size);
        p->slots[i].out = malloc(p->cfg.block_size);
        if (p->slots[i].in == NULL || p->slots[i].out == NULL)
            return sn_error_set(err, SN_ERR_NOMEM, "cannot allocate the block queue (%zu x %u B)",
                                p->depth, p->cfg.block_size);
    }
    return 0;
}

static int start_workers(struct sqw_pipe *p, struct sn_error *err)
{
    p->workers = calloc(p->cfg.jobs, sizeof(*p->workers));
    if (p->workers == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "cannot allocate the workers");
    for (unsigned i = 0; i < p->cfg.jobs; i++) {
        struct worker *w = &p->workers[i];
        w->pipe = p;
        if (sqw_codec_new(p->cfg.compressor, p->cfg.level, p->cfg.block_size, &w->codec, err) < 0)
            return -1;
        int rc = pthread_create(&w->thread, NULL, worker_main, w);
        if (rc != 0)
            return sn_error_errno(err, rc, "cannot start compression thread %u", i + 1);
        w->started = 1;
    }
    return 0;
}

int sqw_pipe_start(const struct sqw_pipe_config *cfg, struct sqw_pipe **out, struct sn_error *err)
{
    struct sqw_pipe *p = calloc(1, sizeof(*p));
    if (p == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "cannot allocate the block compressor");
    p->cfg = *cfg;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    if (alloc_slots(p, err) < 0 || start_workers(p, err) < 0) {
        sqw_pipe_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

static void report(struct sqw_pipe *p, uint64_t bytes)
{
    p->progress_done += bytes;
    if (p->cfg.progress != NULL)
        p->cfg.progress(p->cfg.progress_ctx, p->progress_done, p->cfg.progress_total);
}

void sqw_pipe_skip(struct sqw_pipe *p, uint64_t bytes)
{
    report(p, bytes);
}

/* Writes the oldest queued slot, waiting for it when WAIT. Returns 1 when written, 0 when not
 * finished yet (only without WAIT), -1 on failure. */
static int write_oldest(struct sqw_pipe *p, int wait, struct sn_error *err)
{
    pthread_mutex_lock(&p->lock);
    struct slot *s = &p->slots[p->written % p->depth];
    while (wait && s->state != SLOT_DONE && !p->failed)
        pthread_cond_wait(&p->done, &p->lock);
    int failed = p->failed, ready = s->state == SLOT_DONE;
    pthread_mutex_unlock(&p->lock);
    if (failed)
        return sn_error_set(err, SN_ERR_SYSTEM, "the %s compressor failed on a block",
                            sqw_compressor_name(p->cfg.compressor));
    if (!ready)
        return 0;
    struct sqw_out *o = p->cfg.out;
    if (s->sink.start != NULL)
        *s->sink.start = o->pos;
    *s->sink.size_word = s->word;
    if (s->result_len > 0 && sqw_out_append(o, s->result, s->result_len, err) < 0)
        return -1;
    report(p, s->len);
    pthread_mutex_lock(&p->lock);
    s->state = SLOT_FREE;
    p->written++;
    pthread_mutex_unlock(&p->lock);
    return 1;
}

/* Writes every finished slot at the head of the queue, without waiting. */
static int write_ready(struct sqw_pipe *p, struct sn_error *err)
{
    int rc;
    while (p->written < p->submitted && (rc = write_oldest(p, 0, err)) != 0)
        if (rc < 0)
            return -1;
    return 0;
}

void *sqw_pipe_buffer(struct sqw_pipe *p, struct sn_error *err)
{
    if (write_ready(p, err) < 0)
        return NULL;
    while (p->submitted - p->written >= p->depth)
        if (write_oldest(p, 1, err) < 0)
            return NULL;
    return p->slots[p->submitted % p->depth].in;
}

int sqw_pipe_submit(struct sqw_pipe *p, enum sqw_job kind, size_t len, struct sqw_block_sink sink,
                    struct sn_error *err)
{
    if (p->submitted - p->written >= p->depth)
        return sn_error_set(err, SN_ERR_SYSTEM, "block submitted without a free slot");
    struct slot *s = &p->slots[p->submitted % p->depth];
    s->kind = kind;
    s->len = len;
    s->sink = sink;
    pthread_mutex_lock(&p->lock);
    s->state = SLOT_QUEUED;
    p->submitted++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

static void stop_workers(struct sqw_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; p->workers != NULL && i < p->cfg.jobs; i++) {
        if (p->workers[i].started)
            pthread_join(p->workers[i].thread, NULL);
        p->workers[i].started = 0;
    }
}

int sqw_pipe_finish(struct sqw_pipe *p, struct sn_error *err)
{
    while (p->written < p->submitted)
        if (write_oldest(p, 1, err) < 0)
            return -1;
    stop_workers(p);
    return 0;
}

void sqw_pipe_free(struct sqw_pipe *p)
{
    if (p == NULL)
        return;
    stop_workers(p);
    for (unsigned i = 0; p->workers != NULL && i < p->cfg.jobs; i++)
        sqw_codec_free(p->workers[i].codec);
    free(p->workers);
    for (size_t i = 0; p->slots != NULL && i < p->depth; i++) {
        free(p->slots[i].in);
        free(p->slots[i].out);
    }
    free(p->slots);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
