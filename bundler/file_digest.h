/* Feeding a whole file to a digest, with byte ranges read as zeros: the AppImage sections that its
 * MD5 digest and its signature leave out (shared by .digest_md5, .sha256_sig and FILE.sha256). */
#ifndef SQUASHNIX_FILE_DIGEST_H
#define SQUASHNIX_FILE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Bytes [start, end) of a file. */
struct byte_range {
    uint64_t start, end;
};

typedef void (*file_digest_update_fn)(void *ctx, const void *data, size_t len);

/* Reads FD from offset 0 to its end, in 1 MiB chunks, and passes them to UPDATE(CTX, ...), with the
 * bytes inside any of the N_ZERO ranges ZERO replaced by zeros. NAME names the file in errors.
 * Returns 0, or -1 with ERR. */
int file_digest(int fd, const char *name, const struct byte_range *zero, size_t n_zero,
                file_digest_update_fn update, void *ctx, struct sn_error *err);

#endif
