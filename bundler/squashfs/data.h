/* File data: streams every regular file's content through the block compressor, block by block,
 * packing tail ends and small files into fragments and storing identical files once. Records where
 * each file's data went, for its inode. */
#ifndef SQUASHNIX_SQW_DATA_H
#define SQUASHNIX_SQW_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "block_pipe.h"
#include "error.h"
#include "tree.h"

/* Where a file's data went. */
struct sqw_fdata {
    uint64_t start;   /* image position of the first block */
    uint32_t *blocks; /* size words of the full blocks (0: sparse) */
    uint32_t n_blocks;
    uint32_t frag_index; /* SQFS_NO_FRAGMENT: no tail end */
    uint32_t frag_offset;
    const struct sqw_fdata *same_as; /* an identical earlier file whose data this file shares */
};

struct sqw_frag {
    uint64_t start;
    uint32_t size_word;
};

struct sqw_data {
    struct sqw_fdata *files; /* by sqw_file id */
    size_t n_files;
    struct sqw_frag *frags;
    uint32_t n_frags;
    uint64_t dedup_bytes;
};

/* Where a file stands in the fragment groups (sqw_options.fragment_group_depth). */
enum sqw_group {
    SQW_UNGROUPED = 0, /* shares fragments with the other ungrouped files, written last */
    SQW_GROUP_FIRST,   /* the first file of a group: no earlier file shares its fragments */
    SQW_GROUP_NEXT,    /* a later file of the same group */
};

/* Writes the data of the N files of ORDER (each file once, in this order) through a block
 * compressor configured by CFG; N_IDS is the number of file ids. GROUPS (by order index, values
 * of enum sqw_group; NULL: all ungrouped) says which files may share fragments. Fills DATA (free
 * it with sqw_data_free, also after a failure). Returns 0, or -1 with ERR naming the file. */
int sqw_data_write(struct sqw_file *const *order, size_t n, size_t n_ids,
                   const unsigned char *groups, const struct sqw_pipe_config *cfg,
                   struct sqw_data *data, struct sn_error *err);
void sqw_data_free(struct sqw_data *data);

#endif
