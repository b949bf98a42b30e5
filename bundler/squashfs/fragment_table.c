/* The fragment table (squashfs_fs.h: squashfs_fragment_entry, 16 bytes). */
#include "fragment_table.h"

#include <stdlib.h>

#include "lookup_table.h"
#include "sqfs_format.h"

#define FRAG_ENTRY_LEN 16

int sqw_fragment_table_write(struct sqw_out *o, struct sqw_codec *codec,
                             const struct sqw_frag *frags, uint32_t n, uint64_t *start,
                             struct sn_error *err)
{
    if (n == 0) {
        *start = o->pos;
        return 0;
    }
    uint8_t *buf = malloc((size_t)n * FRAG_ENTRY_LEN);
    if (buf == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory for the fragment table");
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *p = buf + (size_t)i * FRAG_ENTRY_LEN;
        sqfs_put64(p, frags[i].start);
        sqfs_put32(p + 8, frags[i].size_word);
        sqfs_put32(p + 12, 0);
    }
    int rc = sqw_lookup_table_write(o, codec, buf, (size_t)n * FRAG_ENTRY_LEN, start, err);
    free(buf);
    return rc;
}
