/* On-disk constants of squashfs 4.0 and little-endian encoders. Sources: squashfs-tools'
 * squashfs_fs.h and the kernel's Documentation/filesystems/squashfs.rst. Every multi-byte field
 * is little-endian; structures are encoded field by field, never by memcpy of a C struct. */
#ifndef SQUASHNIX_SQFS_FORMAT_H
#define SQUASHNIX_SQFS_FORMAT_H

#include <stdint.h>

#define SQFS_MAGIC          0x73717368u
#define SQFS_MAJOR          4
#define SQFS_MINOR          0
#define SQFS_SUPERBLOCK_LEN 96
#define SQFS_META_SIZE      8192u      /* uncompressed size of a metadata block */
#define SQFS_META_UNCOMP    0x8000u    /* metadata header: block stored uncompressed */
#define SQFS_DATA_UNCOMP    (1u << 24) /* data/fragment size word: stored uncompressed */
#define SQFS_NO_FRAGMENT    0xFFFFFFFFu
#define SQFS_INVALID_TABLE  UINT64_C(0xFFFFFFFFFFFFFFFF)
#define SQFS_NAME_MAX       256
#define SQFS_DIR_RUN_MAX    256 /* entries under one directory header */

/* Superblock flags. */
#define SQFS_FLAG_NOI         0x0001 /* inodes uncompressed */
#define SQFS_FLAG_NOD         0x0002 /* data uncompressed */
#define SQFS_FLAG_NOF         0x0008 /* fragments uncompressed */
#define SQFS_FLAG_ALWAYS_FRAG 0x0020 /* tail ends of large files go to fragments too */
#define SQFS_FLAG_DUPLICATES  0x0040 /* duplicate files were looked for */
#define SQFS_FLAG_NO_XATTR    0x0200
#define SQFS_FLAG_COMP_OPT    0x0400 /* compressor options follow the superblock */
#define SQFS_FLAG_NOID        0x0800 /* id table uncompressed */

/* Compressor ids. */
#define SQFS_COMP_GZIP 1
#define SQFS_COMP_XZ   4
#define SQFS_COMP_LZ4  5
#define SQFS_COMP_ZSTD 6

/* Inode types. */
#define SQFS_DIR_TYPE     1
#define SQFS_REG_TYPE     2
#define SQFS_SYMLINK_TYPE 3
#define SQFS_LDIR_TYPE    8
#define SQFS_LREG_TYPE    9

static inline void sqfs_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void sqfs_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void sqfs_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A metadata reference: the metadata block's position relative to its table, and the offset of
 * the item inside the uncompressed block. */
static inline uint64_t sqfs_meta_ref(uint64_t block, uint32_t offset)
{
    return (block << 16) | offset;
}

#endif
