/* Compressor wrappers: one codec object per compressing thread (it owns the library's context,
 * which is not thread-safe). A block that does not shrink is reported as such, so that the caller
 * stores it uncompressed. Library code: it never prints or exits. */
#ifndef SQUASHNIX_SQW_COMPRESSOR_H
#define SQUASHNIX_SQW_COMPRESSOR_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "writer.h"

struct sqw_codec;

/* A codec for compressor C at LEVEL (already checked against its range) for blocks of at most
 * BLOCK_SIZE bytes. Returns 0, or -1 with ERR set. */
int sqw_codec_new(enum sqw_compressor c, int level, uint32_t block_size, struct sqw_codec **out,
                  struct sn_error *err);
void sqw_codec_free(struct sqw_codec *codec);

/* Compresses LEN bytes of IN into OUT (room for LEN bytes). Returns the compressed size when it is
 * smaller than LEN, 0 when the block does not shrink (store it uncompressed), -1 on a library
 * failure. */
long sqw_codec_compress(struct sqw_codec *codec, const void *in, size_t len, void *out);

/* The superblock's compressor id (the "none" compressor writes gzip's id and marks every block
 * uncompressed, as mksquashfs -noI -noD -noF does). */
uint16_t sqw_compressor_id(enum sqw_compressor c);

/* Encodes the compressor options that follow the superblock into BUF (room for 16 bytes).
 * Returns their length, 0 when the compressor writes none. */
size_t sqw_compressor_options(enum sqw_compressor c, int level, uint8_t *buf);

#endif
