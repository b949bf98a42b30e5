/* The metadata block writer: a stream of bytes cut into 8 KiB blocks, each compressed (or stored
 * uncompressed when it does not shrink) behind a 2-byte header. The inode, directory, fragment and
 * id tables are such streams. The compressed blocks are kept in memory (metadata only). */
#ifndef SQUASHNIX_SQW_METADATA_H
#define SQUASHNIX_SQW_METADATA_H

#include <stddef.h>
#include <stdint.h>

#include "compressor.h"
#include "error.h"
#include "sqfs_format.h"

struct sqw_meta {
    struct sqw_codec *codec; /* not owned */
    uint8_t block[SQFS_META_SIZE];
    size_t fill;
    uint8_t *out; /* the compressed blocks, each behind its header */
    size_t out_len, out_cap;
};

void sqw_meta_init(struct sqw_meta *m, struct sqw_codec *codec);
void sqw_meta_free(struct sqw_meta *m);

/* Appends LEN bytes. Returns 0, or -1 with ERR set. */
int sqw_meta_append(struct sqw_meta *m, const void *data, size_t len, struct sn_error *err);

/* Where the next byte goes: the block's position in the table, the offset inside the block. */
static inline uint64_t sqw_meta_block(const struct sqw_meta *m)
{
    return m->out_len;
}
static inline uint32_t sqw_meta_offset(const struct sqw_meta *m)
{
    return (uint32_t)m->fill;
}

/* Writes out a partly filled last block (no-op when empty). */
int sqw_meta_flush(struct sqw_meta *m, struct sn_error *err);

#endif
