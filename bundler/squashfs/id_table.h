/* The id table: the uids and gids inodes refer to by index. Every owner in our images is root,
 * so the table holds one id, 0. */
#ifndef SQUASHNIX_SQW_ID_TABLE_H
#define SQUASHNIX_SQW_ID_TABLE_H

#include "compressor.h"
#include "image_out.h"

#define SQW_ID_COUNT 1

/* Appends the id table; stores its index position in *START. */
int sqw_id_table_write(struct sqw_out *o, struct sqw_codec *codec, uint64_t *start,
                       struct sn_error *err);

#endif
