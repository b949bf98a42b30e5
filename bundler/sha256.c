/* SHA-256 as FIPS 180-4 specifies it: 64 rounds over 512-bit blocks, big-endian words; and the
 * sha256sum-format checksum file written beside a release file. */
#include "sha256.h"

#include "file_digest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(uint32_t *state, const unsigned char block[MD_BLOCK_LEN])
{
    uint32_t w[64];
    md_block_words(block, MD_BIG_ENDIAN, w);
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }

    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                      sha256_k[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void sha256_init(struct sha256_ctx *ctx)
{
    static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(ctx->state, initial, sizeof(initial));
    md_block_init(&ctx->block);
}

void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
    md_block_update(&ctx->block, ctx->state, sha256_block, data, len);
}

void sha256_final(struct sha256_ctx *ctx, unsigned char out[SHA256_DIGEST_LEN])
{
    md_block_final(&ctx->block, ctx->state, sha256_block, MD_BIG_ENDIAN, 8, out);
}

void sha256_hex(const unsigned char digest[SHA256_DIGEST_LEN], char hex[SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[SHA256_HEX_LEN] = '\0';
}

static void sha256_feed(void *ctx, const void *data, size_t len)
{
    sha256_update(ctx, data, len);
}

int sha256_fd(int fd, const char *name, unsigned char out[SHA256_DIGEST_LEN], struct sn_error *err)
{
    struct sha256_ctx ctx;

    sha256_init(&ctx);
    if (file_digest(fd, name, NULL, 0, sha256_feed, &ctx, err) < 0)
        return -1;
    sha256_final(&ctx, out);
    return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int sha256_write_checksum(int fd, const char *name, const char *filename, int out, const char *dest,
                          struct sn_error *err)
{
    /* sha256sum escapes such names with a leading backslash; no bundle is named like that. */
    if (*filename == '\0' || strpbrk(filename, "/\\\n\r"))
        return sn_error_set(err, SN_ERR_INPUT,
                            "checksum file name [%s]: must be a base name without backslash or "
                            "newline",
                            filename);
    unsigned char digest[SHA256_DIGEST_LEN];
    char hex[SHA256_HEX_LEN + 1];
    if (sha256_fd(fd, name, digest, err) < 0)
        return -1;
    sha256_hex(digest, hex);
    if (write_all(out, hex, SHA256_HEX_LEN) < 0 || write_all(out, "  ", 2) < 0 ||
        write_all(out, filename, strlen(filename)) < 0 || write_all(out, "\n", 1) < 0)
        return sn_error_errno(err, errno, "cannot write %s", dest);
    return 0;
}

int sha256_write_checksum_file(const char *file, struct sn_error *err)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char dest[4096];
    if ((size_t)snprintf(dest, sizeof(dest), "%s.sha256", file) >= sizeof(dest))
        return sn_error_set(err, SN_ERR_INPUT, "%s: path too long", file);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sn_error_errno(err, errno, "cannot open %s", file);
    struct output *o;
    int rc = output_open(dest, &o, err);
    if (rc == 0 && sha256_write_checksum(fd, file, base, output_fd(o), dest, err) < 0) {
        output_abort(o);
        rc = -1;
    } else if (rc == 0) {
        rc = output_commit(o, 0644, err);
    }
    close(fd);
    return rc;
}
