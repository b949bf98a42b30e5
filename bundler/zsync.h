/* The .zsync control file: what zsync clients (zsync, appimageupdatetool) download first to fetch
 * only the blocks of a new release that an old copy lacks. Written in the exact format zsyncmake
 * 0.6.2 writes for an uncompressed file: header lines ("zsync: 0.6.2", Filename, MTime, Blocksize,
 * Length, Hash-Lengths, URL, SHA-1), a blank line, then for each block of the file (the last one
 * padded with zeros) the trailing bytes of its rolling checksum and the leading bytes of its MD4,
 * as many as Hash-Lengths says. Differences from zsyncmake: never looks inside gzip files (as
 * zsyncmake -Z), and reads MTime from the file as zsyncmake does. */
#ifndef SQUASHNIX_ZSYNC_H
#define SQUASHNIX_ZSYNC_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define ZSYNC_VERSION       "0.6.2"
#define ZSYNC_BLOCKSIZE_MIN 512
#define ZSYNC_BLOCKSIZE_MAX (1 << 20)
#define ZSYNC_RSUM_MAX      4
#define ZSYNC_CHECKSUM_MAX  16

/* How much of each block's checksums a .zsync stores ("Hash-Lengths: SEQ,RSUM,CHECKSUM"). */
struct zsync_hash_lengths {
    int seq_matches;  /* consecutive blocks a client matches at once: 2 when the file has > 1 block
                       */
    int rsum_len;     /* bytes of the 4-byte rolling checksum kept (its last ones), 2 to 4 */
    int checksum_len; /* bytes of the MD4 kept (its first ones), at most 16 */
};

/* The block size zsyncmake picks for a file of LENGTH bytes: 2048, or 4096 from 100000000 bytes. */
size_t zsync_default_blocksize(uint64_t length);

/* The hash lengths zsyncmake computes for LENGTH bytes in blocks of BLOCKSIZE (its formula, so
 * that the false-match probability stays low as the file grows). */
struct zsync_hash_lengths zsync_hash_lengths(uint64_t length, size_t blocksize);

/* The rolling checksum of a block as zsync's librcksum computes it, big-endian "a" then "b":
 * a = sum of the bytes, b = sum of (LEN - i) * byte i, both mod 2^16. */
void zsync_rsum(const unsigned char *block, size_t len, unsigned char out[4]);

/* Writes DEST, the .zsync for the contents of FD (a regular file, read with pread from offset 0).
 * FILENAME goes into "Filename:" (the name clients save the file as; a base name), URL into
 * "URL:" (absolute, or relative to the .zsync's own URL; NULL: FILENAME). BLOCKSIZE is a power of
 * two from ZSYNC_BLOCKSIZE_MIN to ZSYNC_BLOCKSIZE_MAX, or 0 for zsync_default_blocksize. "MTime:"
 * is FD's modification time. DEST is written to a temporary file and renamed into place: on error
 * there is no DEST (an existing one is left untouched). */
int zsync_write(int fd, const char *filename, const char *url, size_t blocksize, const char *dest,
                struct sn_error *err);

/* zsync_write, but writes the .zsync to the open descriptor OUT (DEST names it in messages), for a
 * caller that commits it together with other files. */
int zsync_write_fd(int fd, const char *filename, const char *url, size_t blocksize, int out,
                   const char *dest, struct sn_error *err);

/* zsync_write for FILE, writing FILE.zsync with Filename: the base name of FILE. */
int zsync_write_file(const char *file, const char *url, size_t blocksize, struct sn_error *err);

#endif
