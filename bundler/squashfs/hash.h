/* A fast 64-bit content hash, used to find candidate duplicate files before compressing them (a
 * match is always confirmed byte for byte, so collisions cost time, never correctness). */
#ifndef SQUASHNIX_SQW_HASH_H
#define SQUASHNIX_SQW_HASH_H

#include <stddef.h>
#include <stdint.h>

struct sqw_hash {
    uint64_t lane[4];
    uint64_t total;
};

void sqw_hash_init(struct sqw_hash *h);
/* Adds LEN bytes; every call but the last must pass a multiple of 32 bytes. */
void sqw_hash_update(struct sqw_hash *h, const void *data, size_t len);
uint64_t sqw_hash_final(const struct sqw_hash *h);

#endif
