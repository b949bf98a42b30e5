/* On-disk constants of squashfs 4.0 as the runtime's reader needs them, and little-endian
 * decoders. Sources: the kernel's Documentation/filesystems/squashfs.rst and squashfs-tools'
 * squashfs_fs.h. The bundler's writer keeps its own (bundler/squashfs/sqfs_format.h): the reader
 * needs every inode type and compressor the format has, the writer only those it writes. */
#ifndef SQUASHNIX_RT_SQFS_FORMAT_H
#define SQUASHNIX_RT_SQFS_FORMAT_H

#include <stdint.h>

#define RSQ_MAGIC          0x73717368u
#define RSQ_SUPERBLOCK_LEN 96
#define RSQ_META_SIZE      8192u   /* uncompressed size limit of a metadata block */
#define RSQ_META_UNCOMP    0x8000u /* metadata header bit: stored uncompressed */
#define RSQ_META_LEN_MASK  0x7fffu
#define RSQ_DATA_UNCOMP    (1u << 24) /* data and fragment size bit: stored uncompressed */
#define RSQ_DATA_LEN_MASK  0x00ffffffu
#define RSQ_NO_FRAGMENT    0xffffffffu
#define RSQ_NO_TABLE       UINT64_C(0xffffffffffffffff)
#define RSQ_FRAGS_PER_META 512u /* 16-byte fragment entries in one metadata block */
#define RSQ_FRAG_ENTRY_LEN 16u
#define RSQ_DIR_RUN_MAX    256u /* entries under one directory header */
#define RSQ_NAME_MAX       256u
#define RSQ_MIN_BLOCK_LOG  12 /* 4 KiB */
#define RSQ_MAX_BLOCK_LOG  20 /* 1 MiB */

/* Compressor ids. */
#define RSQ_COMP_GZIP 1
#define RSQ_COMP_LZMA 2
#define RSQ_COMP_LZO  3
#define RSQ_COMP_XZ   4
#define RSQ_COMP_LZ4  5
#define RSQ_COMP_ZSTD 6

/* Inode types: 1..7 basic, 8..14 extended (the same kinds in the same order). */
#define RSQ_DIR      1
#define RSQ_REG      2
#define RSQ_SYMLINK  3
#define RSQ_BLKDEV   4
#define RSQ_CHRDEV   5
#define RSQ_FIFO     6
#define RSQ_SOCKET   7
#define RSQ_EXT_BASE 7 /* extended type = basic type + 7 */
#define RSQ_MAX_TYPE 14

static inline uint16_t rsq_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t rsq_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t rsq_get64(const uint8_t *p)
{
    return (uint64_t)rsq_get32(p) | (uint64_t)rsq_get32(p + 4) << 32;
}

#endif
