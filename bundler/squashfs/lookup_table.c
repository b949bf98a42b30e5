/* Lookup tables: metadata blocks, then the index of their positions. */
#include "lookup_table.h"

#include <stdlib.h>

#include "metadata.h"

int sqw_lookup_table_write(struct sqw_out *o, struct sqw_codec *codec, const uint8_t *entries,
                           size_t len, uint64_t *start, struct sn_error *err)
{
    size_t n_blocks = (len + SQFS_META_SIZE - 1) / SQFS_META_SIZE;
    uint8_t *index = malloc(n_blocks ? n_blocks * 8 : 1);
    if (index == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for a lookup table");
    struct sqw_meta m;
    sqw_meta_init(&m, codec);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n_blocks; i++) {
        size_t off = i * SQFS_META_SIZE;
        size_t n = len - off < SQFS_META_SIZE ? len - off : SQFS_META_SIZE;
        sqfs_put64(index + 8 * i, o->pos + sqw_meta_block(&m));
        rc = sqw_meta_append(&m, entries + off, n, err);
    }
    if (rc == 0)
        rc = sqw_meta_flush(&m, err);
    if (rc == 0)
        rc = sqw_out_append(o, m.out, m.out_len, err);
    *start = o->pos;
    if (rc == 0)
        rc = sqw_out_append(o, index, n_blocks * 8, err);
    sqw_meta_free(&m);
    free(index);
    return rc;
}
