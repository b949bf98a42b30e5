/* The block buffering and length padding shared by MD4, MD5, SHA-1 and SHA-256 (the
 * Merkle-Damgard framing): input is cut into 64-byte blocks for the algorithm's compression
 * function, and the last block is padded with 0x80, zeros and the message length in bits as 64
 * bits. The algorithms differ only in their compression function, their state and the byte order
 * of the words (MD4 and MD5 little-endian, SHA-1 and SHA-256 big-endian). */
#ifndef SQUASHNIX_MD_BLOCK_H
#define SQUASHNIX_MD_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#define MD_BLOCK_LEN 64

/* The byte order of an algorithm's words: of the message words, the length and the digest. */
enum md_byte_order {
    MD_LITTLE_ENDIAN,
    MD_BIG_ENDIAN,
};

/* An algorithm's compression function: mixes one 64-byte BLOCK into STATE. */
typedef void md_compress_fn(uint32_t *state, const unsigned char block[MD_BLOCK_LEN]);

/* The input not yet compressed: the fill bytes of a partial block. */
struct md_block {
    uint64_t length; /* bytes hashed so far */
    unsigned char buf[MD_BLOCK_LEN];
    size_t fill;
};

/* Starts an empty message. */
void md_block_init(struct md_block *mb);

/* Hashes LEN more bytes of DATA: compresses every whole block into STATE with COMPRESS and keeps
 * the rest in MB. */
void md_block_update(struct md_block *mb, uint32_t *state, md_compress_fn *compress,
                     const void *data, size_t len);

/* Pads the message, with its length in ORDER, compresses the last block(s) into STATE and writes
 * the STATE_WORDS words of STATE to OUT in ORDER. MB must be initialised again before reuse. */
void md_block_final(struct md_block *mb, uint32_t *state, md_compress_fn *compress,
                    enum md_byte_order order, size_t state_words, unsigned char *out);

/* The 16 message words of BLOCK, read in ORDER into W. Inline: it is part of every compression
 * function, the inner loop of .zsync writing. */
static inline void md_block_words(const unsigned char block[MD_BLOCK_LEN], enum md_byte_order order,
                                  uint32_t w[16])
{
    for (int i = 0; i < 16; i++) {
        const unsigned char *p = block + 4 * i;
        if (order == MD_LITTLE_ENDIAN)
            w[i] =
                (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
        else
            w[i] =
                (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
    }
}

/* X rotated left by N bits, 0 < N < 32. */
static inline uint32_t md_rotl(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

#endif
