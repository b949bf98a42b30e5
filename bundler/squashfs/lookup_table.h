/* Lookup tables (fragment table, id table): fixed-size entries in metadata blocks, followed by an
 * uncompressed index of the blocks' 64-bit positions; the superblock points at the index. */
#ifndef SQUASHNIX_SQW_LOOKUP_TABLE_H
#define SQUASHNIX_SQW_LOOKUP_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "compressor.h"
#include "error.h"
#include "image_out.h"

/* Appends LEN bytes of ENTRIES as metadata blocks, then their index, at O's position; stores the
 * index's position in *START. Returns 0, or -1 with ERR set. */
int sqw_lookup_table_write(struct sqw_out *o, struct sqw_codec *codec, const uint8_t *entries,
                           size_t len, uint64_t *start, struct sn_error *err);

#endif
