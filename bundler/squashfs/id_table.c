/* The id table: one 32-bit id, root. */
#include "id_table.h"

#include "lookup_table.h"
#include "sqfs_format.h"

int sqw_id_table_write(struct sqw_out *o, struct sqw_codec *codec, uint64_t *start,
                       struct sn_error *err)
{
    uint8_t ids[4 * SQW_ID_COUNT];
    sqfs_put32(ids, 0);
    return sqw_lookup_table_write(o, codec, ids, sizeof(ids), start, err);
}
