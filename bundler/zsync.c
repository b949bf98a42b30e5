/* The .zsync writer. The header needs the whole file's SHA-1 before the block checksums, so one
 * pass over the file keeps the (already truncated) block checksums in memory: rsum_len +
 * checksum_len bytes per block, at most 20, e.g. 1.5 MB for a 200 MB file in 4096-byte blocks. */
#include "zsync.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "md4.h"
#include "output.h"
#include "sha1.h"

size_t zsync_default_blocksize(uint64_t length)
{
    return length < 100000000 ? 2048 : 4096;
}

struct zsync_hash_lengths zsync_hash_lengths(uint64_t length, size_t blocksize)
{
    /* zsyncmake takes log(0) = -inf here; its int conversions then end at the clamps below. */
    if (length == 0)
        return (struct zsync_hash_lengths){1, 2, 3};

    struct zsync_hash_lengths h;
    /* zsyncmake's expressions, evaluated the same way (1 + len / blocksize is integer division),
     * so that the ceilings agree even where the value is an exact integer. */
    double len = (double)length, bs = (double)blocksize;
    double blocks = (double)(1 + length / blocksize);
    h.seq_matches = length > blocksize ? 2 : 1;
    h.rsum_len = (int)ceil(((log(len) + log(bs)) / log(2) - 8.6) / h.seq_matches / 8);
    if (h.rsum_len > ZSYNC_RSUM_MAX)
        h.rsum_len = ZSYNC_RSUM_MAX;
    if (h.rsum_len < 2)
        h.rsum_len = 2;
    h.checksum_len = (int)ceil((20 + (log(len) + log(blocks)) / log(2)) / h.seq_matches / 8);
    int checksum_len2 = (int)((7.9 + (20 + log(blocks) / log(2))) / 8);
    if (h.checksum_len < checksum_len2)
        h.checksum_len = checksum_len2;
    if (h.checksum_len > ZSYNC_CHECKSUM_MAX)
        h.checksum_len = ZSYNC_CHECKSUM_MAX;
    return h;
}

void zsync_rsum(const unsigned char *block, size_t len, unsigned char out[4])
{
    /* b = sum of (LEN - i) * byte i = the sum of the running values of a. */
    uint32_t a = 0, b = 0;
    for (size_t i = 0; i < len; i++) {
        a += block[i];
        b += a;
    }
    out[0] = (unsigned char)(a >> 8);
    out[1] = (unsigned char)a;
    out[2] = (unsigned char)(b >> 8);
    out[3] = (unsigned char)b;
}

/* The checksums of one pass over the file. */
struct zsync_sums {
    uint64_t length;
    size_t blocksize;
    struct zsync_hash_lengths h;
    unsigned char sha1[SHA1_DIGEST_LEN];
    unsigned char *blocks; /* per block: rsum_len + checksum_len bytes */
    size_t blocks_len;
};

/* Appends BLOCK's truncated checksums to SUMS->blocks. */
static void add_block(struct zsync_sums *s, const unsigned char *block)
{
    unsigned char rsum[4], strong[MD4_DIGEST_LEN];
    zsync_rsum(block, s->blocksize, rsum);
    md4(block, s->blocksize, strong);
    /* The trailing bytes of the rsum ("b" is the more useful half for hashing, says zsync). */
    memcpy(s->blocks + s->blocks_len, rsum + 4 - s->h.rsum_len, (size_t)s->h.rsum_len);
    s->blocks_len += (size_t)s->h.rsum_len;
    memcpy(s->blocks + s->blocks_len, strong, (size_t)s->h.checksum_len);
    s->blocks_len += (size_t)s->h.checksum_len;
}

/* Reads up to LEN bytes at POS, short only at the end of the file. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len, uint64_t pos)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, (off_t)(pos + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* Reads the file in chunks of whole blocks (ZSYNC_BLOCKSIZE_MAX is a multiple of every block size).
 */
#define ZSYNC_CHUNK ZSYNC_BLOCKSIZE_MAX

/* Hashes the whole file and every block. BUF holds ZSYNC_CHUNK bytes. */
static int hash_file(int fd, const char *name, struct zsync_sums *s, unsigned char *buf,
                     struct sn_error *err)
{
    struct sha1_ctx sha;
    sha1_init(&sha);
    uint64_t pos = 0;
    for (;;) {
        ssize_t n = read_full(fd, buf, ZSYNC_CHUNK, pos);
        if (n < 0)
            return sn_error_errno(err, errno, "cannot read %s", name);
        if (n == 0 || pos + (uint64_t)n > s->length)
            break;
        sha1_update(&sha, buf, (size_t)n);
        size_t padded = ((size_t)n + s->blocksize - 1) / s->blocksize * s->blocksize;
        memset(buf + n, 0, padded - (size_t)n);
        for (size_t off = 0; off < padded; off += s->blocksize)
            add_block(s, buf + off);
        pos += (uint64_t)n;
        if ((size_t)n < ZSYNC_CHUNK)
            break;
    }
    if (pos != s->length)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s changed while its .zsync was written (%" PRIu64
                            " bytes read, %" PRIu64
                            " expected): write the .zsync of a finished file",
                            name, pos, s->length);
    sha1_final(&sha, s->sha1);
    return 0;
}

/* "Thu, 03 Dec 2026 13:26:54 +0000": zsyncmake's strftime("%a, %d %b %Y %H:%M:%S %z") of the
 * UTC time in the C locale, spelled out here so that the caller's locale cannot change it. */
static int format_mtime(time_t t, char *buf, size_t len)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return -1;
    int n = snprintf(buf, len, "%s, %02d %s %d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                     months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The header, from "zsync:" to the blank line, malloc'd into *OUT. */
static int format_header(const struct zsync_sums *s, const char *filename, const char *mtime,
                         const char *url, char **out, size_t *out_len, struct sn_error *err)
{
    char sha1_hex[2 * SHA1_DIGEST_LEN + 1];
    for (int i = 0; i < SHA1_DIGEST_LEN; i++)
        snprintf(sha1_hex + 2 * i, 3, "%02x", s->sha1[i]);
    size_t cap = strlen(filename) + strlen(url) + 512;
    char *buf = malloc(cap);
    if (!buf)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory writing a .zsync header");
    int n = snprintf(buf, cap,
                     "zsync: " ZSYNC_VERSION "\nFilename: %s\nMTime: %s\nBlocksize: %zu\n"
                     "Length: %" PRIu64 "\nHash-Lengths: %d,%d,%d\nURL: %s\nSHA-1: %s\n\n",
                     filename, mtime, s->blocksize, s->length, s->h.seq_matches, s->h.rsum_len,
                     s->h.checksum_len, url, sha1_hex);
    if (n < 0 || (size_t)n >= cap) {
        free(buf);
        return sn_error_set(err, SN_ERR_INPUT, "cannot format the .zsync header for %s", filename);
    }
    *out = buf;
    *out_len = (size_t)n;
    return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes HEADER and the block checksums to OUT (DEST names it in messages). */
static int write_sums(int out, const char *dest, const char *header, size_t header_len,
                      const struct zsync_sums *s, struct sn_error *err)
{
    if (write_all(out, header, header_len) < 0 || write_all(out, s->blocks, s->blocks_len) < 0)
        return sn_error_errno(err, errno, "cannot write %s", dest);
    return 0;
}

/* A header value must be one non-empty line. */
static int check_field(const char *what, const char *value, struct sn_error *err)
{
    if (*value == '\0' || strpbrk(value, "\r\n"))
        return sn_error_set(err, SN_ERR_INPUT, "zsync %s [%s]: must be one non-empty line", what,
                            value);
    return 0;
}

static int check_args(const char *filename, const char *url, size_t blocksize, struct sn_error *err)
{
    if (check_field("file name", filename, err) < 0 || check_field("URL", url, err) < 0)
        return -1;
    if (strchr(filename, '/'))
        return sn_error_set(err, SN_ERR_INPUT, "zsync file name [%s]: must be a base name",
                            filename);
    if (blocksize < ZSYNC_BLOCKSIZE_MIN || blocksize > ZSYNC_BLOCKSIZE_MAX ||
        (blocksize & (blocksize - 1)) != 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "zsync block size %zu: must be a power of two from %d to %d", blocksize,
                            ZSYNC_BLOCKSIZE_MIN, ZSYNC_BLOCKSIZE_MAX);
    return 0;
}

/* Fills S for FD (a regular file) and formats the header into *HEADER. */
static int compute(int fd, const char *filename, const char *url, size_t blocksize,
                   struct zsync_sums *s, char **header, size_t *header_len, struct sn_error *err)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return sn_error_errno(err, errno, "cannot stat %s", filename);
    if (!S_ISREG(st.st_mode))
        return sn_error_set(err, SN_ERR_INPUT, "%s: not a regular file (a .zsync describes one)",
                            filename);
    s->length = (uint64_t)st.st_size;
    s->blocksize = blocksize ? blocksize : zsync_default_blocksize(s->length);
    if (check_args(filename, url, s->blocksize, err) < 0)
        return -1;
    s->h = zsync_hash_lengths(s->length, s->blocksize);
    uint64_t nblocks = (s->length + s->blocksize - 1) / s->blocksize;
    s->blocks = malloc(nblocks * (uint64_t)(s->h.rsum_len + s->h.checksum_len) + 1);
    unsigned char *buf = malloc(ZSYNC_CHUNK);
    int rc = -1;
    if (!s->blocks || !buf)
        sn_error_set(err, SN_ERR_NOMEM, "out of memory for the .zsync of %s", filename);
    else if (hash_file(fd, filename, s, buf, err) == 0) {
        char mtime[64];
        if (format_mtime(st.st_mtime, mtime, sizeof(mtime)) < 0)
            sn_error_set(err, SN_ERR_INPUT, "%s: modification time %lld is out of range", filename,
                         (long long)st.st_mtime);
        else
            rc = format_header(s, filename, mtime, url, header, header_len, err);
    }
    free(buf);
    return rc;
}

int zsync_write_fd(int fd, const char *filename, const char *url, size_t blocksize, int out,
                   const char *dest, struct sn_error *err)
{
    struct zsync_sums s = {0};
    char *header = NULL;
    size_t header_len = 0;
    int rc = compute(fd, filename, url ? url : filename, blocksize, &s, &header, &header_len, err);
    if (rc == 0)
        rc = write_sums(out, dest, header, header_len, &s, err);
    free(header);
    free(s.blocks);
    return rc;
}

int zsync_write(int fd, const char *filename, const char *url, size_t blocksize, const char *dest,
                struct sn_error *err)
{
    struct output *o;
    if (output_open(dest, &o, err) < 0)
        return -1;
    if (zsync_write_fd(fd, filename, url, blocksize, output_fd(o), dest, err) < 0) {
        output_abort(o);
        return -1;
    }
    return output_commit(o, 0644, err);
}

int zsync_write_file(const char *file, const char *url, size_t blocksize, struct sn_error *err)
{
    char dest[4096];
    if ((size_t)snprintf(dest, sizeof(dest), "%s.zsync", file) >= sizeof(dest))
        return sn_error_set(err, SN_ERR_INPUT, "%s: path too long", file);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sn_error_errno(err, errno, "cannot open %s", file);
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    int rc = zsync_write(fd, base, url, blocksize, dest, err);
    close(fd);
    return rc;
}
