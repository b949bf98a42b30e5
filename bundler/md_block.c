/* The Merkle-Damgard framing of MD4 (RFC 1320, 3.1-3.2), MD5 (RFC 1321, 3.1-3.2), SHA-1 and
 * SHA-256 (FIPS 180-4, 5.1.1 and 5.2.1). */
#include "md_block.h"

#include <string.h>

void md_block_init(struct md_block *mb)
{
    mb->length = 0;
    mb->fill = 0;
}

void md_block_update(struct md_block *mb, uint32_t *state, md_compress_fn *compress,
                     const void *data, size_t len)
{
    const unsigned char *p = data;
    mb->length += len;
    if (mb->fill > 0) {
        size_t n = MD_BLOCK_LEN - mb->fill < len ? MD_BLOCK_LEN - mb->fill : len;
        memcpy(mb->buf + mb->fill, p, n);
        mb->fill += n;
        p += n;
        len -= n;
        if (mb->fill < MD_BLOCK_LEN)
            return;
        compress(state, mb->buf);
        mb->fill = 0;
    }
    /* Whole blocks straight from DATA, without copying them into the buffer. */
    for (; len >= MD_BLOCK_LEN; p += MD_BLOCK_LEN, len -= MD_BLOCK_LEN)
        compress(state, p);
    memcpy(mb->buf, p, len);
    mb->fill = len;
}

/* Writes the NBYTES low bytes of V to OUT in ORDER. */
static void put_uint(uint64_t v, size_t nbytes, enum md_byte_order order, unsigned char *out)
{
    for (size_t i = 0; i < nbytes; i++) {
        size_t shift = order == MD_LITTLE_ENDIAN ? i : nbytes - 1 - i;
        out[i] = (unsigned char)(v >> (8 * shift));
    }
}

void md_block_final(struct md_block *mb, uint32_t *state, md_compress_fn *compress,
                    enum md_byte_order order, size_t state_words, unsigned char *out)
{
    /* 0x80, then zeros up to 8 bytes short of a block boundary, then the length: one more block,
     * or two when fewer than 9 bytes are left in this one. */
    unsigned char pad[MD_BLOCK_LEN + 8] = {0x80};
    size_t pad_len =
        (mb->fill < MD_BLOCK_LEN - 8 ? MD_BLOCK_LEN - 8 : 2 * MD_BLOCK_LEN - 8) - mb->fill;
    put_uint(mb->length * 8, 8, order, pad + pad_len);
    md_block_update(mb, state, compress, pad, pad_len + 8);
    for (size_t i = 0; i < state_words; i++)
        put_uint(state[i], 4, order, out + 4 * i);
}
