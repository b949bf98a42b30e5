/* SHA-256 (FIPS 180-4), for release checksums (FILE.sha256, in sha256sum's format) and for the
 * AppImage signature, which signs the SHA-256 of the file. */
#ifndef SQUASHNIX_SHA256_H
#define SQUASHNIX_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "md_block.h"

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_LEN    64

struct sha256_ctx {
    uint32_t state[8];
    struct md_block block;
};

/* Starts a new digest. */
void sha256_init(struct sha256_ctx *ctx);
/* Hashes LEN more bytes of DATA. */
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Finishes the digest into OUT; CTX must be initialised again before reuse. */
void sha256_final(struct sha256_ctx *ctx, unsigned char out[SHA256_DIGEST_LEN]);

/* Writes DIGEST as 64 lowercase hex digits and a NUL into HEX. */
void sha256_hex(const unsigned char digest[SHA256_DIGEST_LEN], char hex[SHA256_HEX_LEN + 1]);

/* The SHA-256 of everything FD holds, read from offset 0 with pread (FD's position is unchanged).
 * NAME is used in messages. */
int sha256_fd(int fd, const char *name, unsigned char out[SHA256_DIGEST_LEN], struct sn_error *err);

/* Writes to OUT the line sha256sum prints for the contents of FD under the name FILENAME (a base
 * name without backslash or newline): "<hex>  FILENAME\n". NAME names FD and DEST names OUT in
 * messages. */
int sha256_write_checksum(int fd, const char *name, const char *filename, int out, const char *dest,
                          struct sn_error *err);

/* Writes FILE.sha256 beside FILE, one line as sha256sum prints it: "<hex>  <basename of FILE>\n",
 * so that `sha256sum -c FILE.sha256` run in FILE's directory checks it. The checksum file is
 * written to a temporary file and renamed into place: on error there is no FILE.sha256 (an
 * existing one is left untouched). */
int sha256_write_checksum_file(const char *file, struct sn_error *err);

#endif
