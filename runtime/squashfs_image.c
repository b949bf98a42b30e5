#include "squashfs_image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_image.h"
#include "sqfs/format.h"

struct rt_image {
    char *path;
    int fd;
    uint64_t offset;
    uint64_t file_size;
    struct rt_sqfs *fs;
};

/* The reader checked the superblock; the root must be a readable directory too, so that a bundle
 * whose tree cannot even start is refused before anything is mounted or created. */
static int check_root(struct rt_image *img, struct rt_error *err)
{
    struct rt_sqfs_inode root;
    struct rt_error why;

    if (rt_sqfs_root(img->fs, &root, &why) < 0)
        return rt_fail(err,
                       "%s: the root directory is unreadable: %s; download or build the "
                       "bundle again",
                       img->path, why.msg);
    return 0;
}

static int open_layers(struct rt_image *img, struct rt_error *err)
{
    struct stat st;
    struct rt_error why;

    img->fd = open(img->path, O_RDONLY | O_CLOEXEC);
    if (img->fd < 0)
        return rt_fail_errno(err, errno, "open %s", img->path);
    if (fstat(img->fd, &st) < 0)
        return rt_fail_errno(err, errno, "stat %s", img->path);
    if (!S_ISREG(st.st_mode))
        return rt_fail(err, "%s: not a regular file", img->path);
    img->file_size = (uint64_t)st.st_size;
    if (rt_elf_image_offset(img->fd, &img->offset, &why) < 0)
        return rt_fail(err, "%s: not an AppImage: %s", img->path, why.msg);
    if (img->offset >= img->file_size)
        return rt_fail(err,
                       "%s: no squashfs image after the runtime (file ends at byte %llu, where "
                       "the image should start): the bundle is truncated",
                       img->path, (unsigned long long)img->file_size);
    if (rt_sqfs_open(img->fd, img->offset, img->file_size - img->offset, &img->fs, &why) < 0)
        return rt_fail(err, "%s: at offset %llu: %s; download or build the bundle again", img->path,
                       (unsigned long long)img->offset, why.msg);
    return check_root(img, err);
}

int rt_image_open(const char *path, struct rt_image **out, struct rt_error *err)
{
    struct rt_image *img = calloc(1, sizeof(*img));

    if (!img)
        return rt_fail_errno(err, ENOMEM, "opening %s", path);
    img->fd = -1;
    img->path = strdup(path);
    if (!img->path) {
        free(img);
        return rt_fail_errno(err, ENOMEM, "opening %s", path);
    }
    if (open_layers(img, err) < 0) {
        rt_image_close(img);
        return -1;
    }
    *out = img;
    return 0;
}

void rt_image_close(struct rt_image *img)
{
    if (!img)
        return;
    rt_sqfs_close(img->fs);
    if (img->fd >= 0)
        close(img->fd);
    free(img->path);
    free(img);
}

const char *rt_image_path(const struct rt_image *img)
{
    return img->path;
}

int rt_image_fd(const struct rt_image *img)
{
    return img->fd;
}

uint64_t rt_image_offset(const struct rt_image *img)
{
    return img->offset;
}

struct rt_sqfs *rt_image_fs(struct rt_image *img)
{
    return img->fs;
}

/* A 64-bit FNV-1a style mix over 8-byte words (and the tail byte by byte): not cryptographic; the
 * cache it keys lives in the user's own 0700 directory, where nobody else can plant an entry. */
static uint64_t mix(uint64_t h, const unsigned char *p, size_t n)
{
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    for (; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ULL;
    return h;
}

/* Mixes bytes [start, end) of the image into both halves of the key. */
static int mix_range(struct rt_image *img, uint64_t start, uint64_t end, uint64_t h[2],
                     struct rt_error *err)
{
    enum { BUF = 1 << 20 };
    unsigned char *buf = malloc(BUF);

    if (!buf)
        return rt_fail_errno(err, ENOMEM, "%s: hashing the image", img->path);
    while (start < end) {
        size_t want = end - start < BUF ? (size_t)(end - start) : BUF;
        ssize_t n = pread(img->fd, buf, want, (off_t)(img->offset + start));

        if (n <= 0) {
            free(buf);
            return rt_fail_errno(err, n < 0 ? errno : EIO, "%s: reading the image", img->path);
        }
        h[0] = mix(h[0], buf, (size_t)n);
        h[1] = mix(h[1] ^ start, buf, (size_t)n);
        start += (uint64_t)n;
    }
    free(buf);
    return 0;
}

/* Whether the .digest_md5 section holds a digest (appimagetool and squashnix fill it in). */
static int read_md5(struct rt_image *img, unsigned char md5[16])
{
    struct rt_error ignored;
    uint64_t off, size;

    memset(md5, 0, 16);
    if (rt_elf_section(img->fd, ".digest_md5", &off, &size, &ignored) < 0 || size != 16 ||
        pread(img->fd, md5, 16, (off_t)off) != 16)
        return 0;
    for (int i = 0; i < 16; i++) {
        if (md5[i])
            return 1;
    }
    return 0;
}

int rt_image_digest(struct rt_image *img, char out[33], struct rt_error *err)
{
    uint64_t h[2] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    unsigned char md5[16];
    /* With a digest of the whole file, the metadata (every file's size and block list) is enough
     * to tell images apart cheaply; without one, every data block must be read. */
    uint64_t start = read_md5(img, md5) ? rt_sqfs_inode_table_start(img->fs) : 0;

    h[0] = mix(h[0], md5, sizeof(md5));
    h[0] = mix(h[0], rt_sqfs_superblock(img->fs), RSQ_SUPERBLOCK_LEN);
    if (mix_range(img, start, rt_sqfs_bytes_used(img->fs), h, err) < 0)
        return -1;
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)h[0], (unsigned long long)h[1]);
    return 0;
}
