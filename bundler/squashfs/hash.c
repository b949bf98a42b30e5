/* The content hash: four independent multiply-rotate lanes over 8-byte words (so the CPU can run
 * them in parallel), folded at the end with the length. */
#include "hash.h"

#include <string.h>

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t mix(uint64_t acc, uint64_t word)
{
    return rotl(acc + word * P2, 31) * P1;
}

void sqw_hash_init(struct sqw_hash *h)
{
    h->lane[0] = P1 + P2;
    h->lane[1] = P2;
    h->lane[2] = 0;
    h->lane[3] = (uint64_t)0 - P1;
    h->total = 0;
}

void sqw_hash_update(struct sqw_hash *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    h->total += len;
    for (; len >= 32; p += 32, len -= 32)
        for (int i = 0; i < 4; i++)
            h->lane[i] = mix(h->lane[i], load64(p + 8 * i));
    unsigned char last[32] = {0};
    if (len > 0) {
        memcpy(last, p, len);
        for (int i = 0; i < 4; i++)
            h->lane[i] = mix(h->lane[i], load64(last + 8 * i));
    }
}

uint64_t sqw_hash_final(const struct sqw_hash *h)
{
    uint64_t v =
        rotl(h->lane[0], 1) + rotl(h->lane[1], 7) + rotl(h->lane[2], 12) + rotl(h->lane[3], 18);
    v ^= h->total * P1;
    v ^= v >> 33;
    v *= P2;
    v ^= v >> 29;
    return v;
}
