/* The fragment table: for each fragment block, its position and size word. */
#ifndef SQUASHNIX_SQW_FRAGMENT_TABLE_H
#define SQUASHNIX_SQW_FRAGMENT_TABLE_H

#include "compressor.h"
#include "data.h"
#include "image_out.h"

/* Appends the fragment table for the N fragments of FRAGS; stores its index position in *START
 * (with no fragments, the position where it would be, as mksquashfs does). */
int sqw_fragment_table_write(struct sqw_out *o, struct sqw_codec *codec,
                             const struct sqw_frag *frags, uint32_t n, uint64_t *start,
                             struct sn_error *err);

#endif
