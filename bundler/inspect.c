/* Inspecting a bundle. The runtime is never run (the file may come from anyone): its version is
 * looked for as the string "squashnix runtime VERSION" in its bytes. */
#include "inspect.h"
#include "regular_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <squashfuse.h>

#define RUNTIME_MARKER "squashnix runtime "
#define IMAGE_FILE_MAX (64u << 20)

/* "squashnix runtime VERSION" when the runtime carries that string literally, "squashnix runtime"
 * when it only carries the marker (the version is formatted at run time), else "". */
static void find_runtime_version(int fd, uint64_t len, char *out, size_t out_len)
{
    size_t mlen = strlen(RUNTIME_MARKER);
    char *buf = len <= IMAGE_FILE_MAX ? malloc(len + 1) : NULL;
    out[0] = '\0';
    if (!buf)
        return;
    if (pread(fd, buf, len, 0) == (ssize_t)len) {
        for (char *hit = buf; (hit = memmem(hit, len - (size_t)(hit - buf), RUNTIME_MARKER, mlen));
             hit += mlen) {
            const char *v = hit + mlen;
            size_t i = 0;
            while (v + i < buf + len && i + mlen + 1 < out_len &&
                   ((v[i] >= '0' && v[i] <= '9') || v[i] == '.'))
                i++;
            if (i > 0 || out[0] == '\0')
                snprintf(out, out_len, "squashnix runtime%s%.*s", i ? " " : "", (int)i, v);
            if (i > 0)
                break;
        }
    }
    free(buf);
}

static int read_sections(int fd, struct inspect_info *in, struct sn_error *err)
{
    if (appimage_read_section(fd, &in->layout, APPIMAGE_UPD_INFO, in->update_info,
                              sizeof(in->update_info), err) < 0 ||
        appimage_read_section(fd, &in->layout, APPIMAGE_DIGEST_MD5, in->digest_stored,
                              sizeof(in->digest_stored), err) < 0 ||
        appimage_compute_digest(fd, &in->layout, in->digest_computed, err) < 0)
        return -1;
    in->update_info[sizeof(in->update_info) - 1] = '\0';
    for (int i = 0; i < MD5_DIGEST_LEN; i++)
        in->digest_set |= in->digest_stored[i] != 0;
    in->digest_ok = memcmp(in->digest_stored, in->digest_computed, MD5_DIGEST_LEN) == 0;
    return 0;
}

static const char *compression_name(sqfs_compression_type c)
{
    switch (c) {
    case ZLIB_COMPRESSION:
        return "gzip";
    case LZMA_COMPRESSION:
        return "lzma";
    case LZO_COMPRESSION:
        return "lzo";
    case XZ_COMPRESSION:
        return "xz";
    case LZ4_COMPRESSION:
        return "lz4";
    case ZSTD_COMPRESSION:
        return "zstd";
    default:
        return "unknown";
    }
}

/* Looks PATH up from the root; 1 found, 0 absent, -1 error. */
static int lookup(sqfs *fs, const char *path, sqfs_inode *inode)
{
    bool found = false;
    if (sqfs_inode_get(fs, inode, sqfs_inode_root(fs)) != SQFS_OK ||
        sqfs_lookup_path(fs, inode, path, &found) != SQFS_OK)
        return -1;
    return found ? 1 : 0;
}

/* The regular file PATH of the image, NUL-terminated, into *OUT (NULL when absent). */
static int read_image_file(sqfs *fs, const char *file, const char *path, char **out,
                           struct sn_error *err)
{
    sqfs_inode inode;
    *out = NULL;
    int found = lookup(fs, path, &inode);
    if (found <= 0)
        return found < 0
                   ? sn_error_set(err, SN_ERR_INPUT, "%s: image unreadable at /%s", file, path)
                   : 0;
    if (!S_ISREG(inode.base.mode) || inode.xtra.reg.file_size > IMAGE_FILE_MAX)
        return sn_error_set(err, SN_ERR_INPUT, "%s: /%s is not a regular file of at most %u MiB",
                            file, path, IMAGE_FILE_MAX >> 20);
    sqfs_off_t size = (sqfs_off_t)inode.xtra.reg.file_size;
    char *buf = malloc((size_t)size + 1);
    if (!buf)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    if (sqfs_read_range(fs, &inode, 0, &size, buf) != SQFS_OK) {
        free(buf);
        return sn_error_set(err, SN_ERR_INPUT, "%s: cannot read /%s from the image", file, path);
    }
    buf[size] = '\0';
    *out = buf;
    return 0;
}

static int read_entrypoint(sqfs *fs, const char *file, char *buf, size_t len, struct sn_error *err)
{
    sqfs_inode inode;
    int found = lookup(fs, "entrypoint", &inode);
    buf[0] = '\0';
    if (found <= 0)
        return found < 0 ? sn_error_set(err, SN_ERR_INPUT, "%s: image unreadable", file) : 0;
    if (!S_ISLNK(inode.base.mode))
        return 0;
    size_t size = len;
    if (sqfs_readlink(fs, &inode, buf, &size) != SQFS_OK)
        return sn_error_set(err, SN_ERR_INPUT, "%s: cannot read /entrypoint", file);
    return 0;
}

static int read_image(int fd, const char *file, struct inspect_info *in, struct sn_error *err)
{
    sqfs fs;
    memset(&fs, 0, sizeof(fs));
    if (sqfs_init(&fs, fd, (size_t)in->layout.elf_end) != SQFS_OK) {
        sqfs_destroy(&fs);
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s: no readable squashfs image at offset %llu (after the runtime)",
                            file, (unsigned long long)in->layout.elf_end);
    }
    snprintf(in->compression, sizeof(in->compression), "%s",
             compression_name(sqfs_compression(&fs)));
    in->block_size = fs.sb.block_size;
    int rc = read_entrypoint(&fs, file, in->program, sizeof(in->program), err);
    if (rc == 0)
        rc = read_image_file(&fs, file, ".squashnix/closure", &in->closure, err);
    if (rc == 0)
        rc = read_image_file(&fs, file, ".squashnix/info.json", &in->info_json, err);
    sqfs_destroy(&fs);
    return rc;
}

int inspect_file(const char *file, struct inspect_info *out, struct sn_error *err)
{
    struct stat st;
    memset(out, 0, sizeof(*out));
    int fd = regular_file_open(file, "bundle", err);
    if (fd < 0)
        return -1;
    int rc = fstat(fd, &st) < 0 ? sn_error_errno(err, errno, "fstat %s", file) : 0;
    out->file_bytes = (uint64_t)st.st_size;
    if (rc == 0)
        rc = appimage_read_layout(fd, file, &out->layout, err);
    if (rc == 0)
        find_runtime_version(fd, out->layout.elf_end, out->runtime_version,
                             sizeof(out->runtime_version));
    if (rc == 0)
        rc = read_sections(fd, out, err);
    if (rc == 0)
        rc = read_image(fd, file, out, err);
    close(fd);
    if (rc < 0)
        inspect_free(out);
    return rc;
}

void inspect_free(struct inspect_info *info)
{
    free(info->closure);
    free(info->info_json);
    info->closure = info->info_json = NULL;
}
