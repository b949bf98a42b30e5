/* The parallel block compressor: a bounded ring of block slots. The calling thread fills slots in
 * order (reading input) and writes finished slots in the same order; N worker threads compress in
 * between. Output order is submission order, whatever the thread count, so images are
 * reproducible; memory is the ring (two buffers of one block per slot), whatever the input size. */
#ifndef SQUASHNIX_SQW_BLOCK_PIPE_H
#define SQUASHNIX_SQW_BLOCK_PIPE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "image_out.h"
#include "writer.h"

enum sqw_job {
    SQW_JOB_DATA,     /* a full block of a file: compressed, or sparse when all zero */
    SQW_JOB_HOLE,     /* a block known to be a hole of a sparse file: nothing read, stored sparse */
    SQW_JOB_FRAGMENT, /* a block of packed tail ends */
};

struct sqw_pipe_config {
    enum sqw_compressor compressor;
    int level;
    uint32_t block_size;
    unsigned jobs;
    struct sqw_out *out; /* written at out->pos onwards, which advances */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    uint64_t progress_total;
};

/* Where a block's outcome goes once written: its size word (block list entry or fragment size)
 * and, for a file's first block or a fragment, the position it was written at. */
struct sqw_block_sink {
    uint32_t *size_word;
    uint64_t *start; /* NULL: not recorded */
};

struct sqw_pipe;

/* Starts the worker threads. Returns 0, or -1 with ERR set. */
int sqw_pipe_start(const struct sqw_pipe_config *cfg, struct sqw_pipe **out, struct sn_error *err);

/* The buffer (block_size bytes) for the next block; writes finished blocks while a slot is not
 * free. Returns NULL with ERR set when compressing or writing failed. */
void *sqw_pipe_buffer(struct sqw_pipe *p, struct sn_error *err);

/* Queues the block in the buffer last returned: LEN bytes of KIND. */
int sqw_pipe_submit(struct sqw_pipe *p, enum sqw_job kind, size_t len, struct sqw_block_sink sink,
                    struct sn_error *err);

/* Counts BYTES of input as done without writing anything (a duplicate file). */
void sqw_pipe_skip(struct sqw_pipe *p, uint64_t bytes);

/* Writes every queued block and stops the workers. Returns 0, or -1 with ERR set. */
int sqw_pipe_finish(struct sqw_pipe *p, struct sn_error *err);

/* Stops the workers if still running and frees everything. */
void sqw_pipe_free(struct sqw_pipe *p);

#endif
