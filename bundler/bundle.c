/* Bundle file writing. The runtime is copied up to its ELF end only: bytes after it (say, an old
 * image when an AppImage is given as the runtime) are not part of the runtime. */
#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

int bundle_check_runtime(const char *runtime, struct appimage_layout *l, struct sn_error *err)
{
    int fd = open(runtime, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sn_error_errno(err, errno, "opening the runtime %s", runtime);
    int rc = appimage_read_layout(fd, runtime, l, err);
    close(fd);
    return rc;
}

static int copy_runtime(int in, int out, uint64_t len, const char *runtime, struct sn_error *err)
{
    enum { CHUNK = 1 << 16 };
    char *buf = malloc(CHUNK);
    uint64_t done = 0;
    if (!buf)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    while (done < len) {
        size_t want = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
        ssize_t n = pread(in, buf, want, (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(buf);
            return n < 0 ? sn_error_errno(err, errno, "reading the runtime %s", runtime)
                         : sn_error_set(err, SN_ERR_INPUT, "runtime %s shrank while read", runtime);
        }
        for (ssize_t w = 0; w < n;) {
            ssize_t m = pwrite(out, buf + w, (size_t)(n - w), (off_t)(done + (uint64_t)w));
            if (m < 0 && errno != EINTR) {
                free(buf);
                return sn_error_errno(err, errno, "writing the runtime to the output");
            }
            w += m > 0 ? m : 0;
        }
        done += (uint64_t)n;
    }
    free(buf);
    return 0;
}

/* Everything after the temporary file exists: runtime, image, sections. */
static int fill(int fd, int rt, const char *runtime, const struct sqw_tree *t,
                const struct sqw_options *opts, const char *update_info, struct bundle_stats *s,
                struct sn_error *err)
{
    struct appimage_layout l;
    unsigned char digest[MD5_DIGEST_LEN];
    struct stat st;
    if (appimage_read_layout(rt, runtime, &l, err) < 0 ||
        copy_runtime(rt, fd, l.elf_end, runtime, err) < 0 ||
        sqw_write(t, fd, l.elf_end, opts, &s->image, err) < 0)
        return -1;
    if (update_info && appimage_write_update_info(fd, &l, update_info, err) < 0)
        return -1;
    if (appimage_compute_digest(fd, &l, digest, err) < 0 ||
        appimage_write_digest(fd, &l, digest, err) < 0)
        return -1;
    if (fstat(fd, &st) < 0)
        return sn_error_errno(err, errno, "fstat of the output");
    s->offset = l.elf_end;
    s->file_bytes = (uint64_t)st.st_size;
    return 0;
}

int bundle_write(const char *output, const char *runtime, const struct sqw_tree *t,
                 const struct sqw_options *opts, const char *update_info,
                 struct bundle_stats *stats, struct sn_error *err)
{
    struct output *out;
    if (update_info && appimage_check_update_info(update_info, err) < 0)
        return -1;
    int rt = open(runtime, O_RDONLY | O_CLOEXEC);
    if (rt < 0)
        return sn_error_errno(err, errno, "opening the runtime %s", runtime);
    if (output_open(output, &out, err) < 0) {
        close(rt);
        return -1;
    }
    int rc = fill(output_fd(out), rt, runtime, t, opts, update_info, stats, err);
    close(rt);
    if (rc < 0) {
        output_abort(out);
        return -1;
    }
    return output_commit(out, 0755, err);
}
