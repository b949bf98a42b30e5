/* Bundle file writing. The runtime is copied up to its ELF end only: bytes after it (say, an old
 * image when an AppImage is given as the runtime) are not part of the runtime. */
#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"
#include "regular_file.h"
#include "sha256.h"
#include "signature.h"
#include "zsync.h"

int bundle_check_runtime(const char *runtime, struct appimage_layout *l, struct sn_error *err)
{
    int fd = regular_file_open(runtime, "the runtime", err);
    if (fd < 0)
        return -1;
    int rc = appimage_read_layout(fd, runtime, l, err);
    close(fd);
    return rc;
}

static int copy_runtime(int in, int out, uint64_t len, const char *runtime, const char *output,
                        struct sn_error *err)
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
                return sn_error_errno(err, errno, "writing the runtime to %s", output);
            }
            w += m > 0 ? m : 0;
        }
        done += (uint64_t)n;
    }
    free(buf);
    return 0;
}

/* The writer's messages do not know the output's name: "OUTPUT: message". Returns -1. */
static int name_output(struct sn_error *err, const char *output)
{
    char msg[sizeof(err->msg)];
    snprintf(msg, sizeof(msg), "%s", err->msg);
    return sn_error_set(err, err->kind, "%s: %s", output, msg);
}

/* Everything after the temporary file exists: runtime, image, sections. */
static int fill(int fd, int rt, const char *runtime, const char *output, const struct sqw_tree *t,
                const struct sqw_options *opts, const char *update_info, struct bundle_stats *s,
                struct sn_error *err)
{
    struct appimage_layout l;
    unsigned char digest[MD5_DIGEST_LEN];
    if (appimage_read_layout(rt, runtime, &l, err) < 0 ||
        copy_runtime(rt, fd, l.elf_end, runtime, output, err) < 0)
        return -1;
    if (sqw_write(t, fd, l.elf_end, opts, &s->image, err) < 0)
        return name_output(err, output);
    if (update_info && appimage_write_update_info(fd, &l, update_info, err) < 0)
        return -1;
    if (appimage_compute_digest(fd, &l, digest, err) < 0 ||
        appimage_write_digest(fd, &l, digest, err) < 0)
        return -1;
    s->offset = l.elf_end;
    return 0;
}

/* Signs the finished bundle FD and sets its modification time, as REL says. */
static int finish(int fd, const char *output, const struct bundle_release *rel,
                  struct bundle_stats *s, struct sn_error *err)
{
    struct stat st;
    if (rel->sign_key && signature_sign(fd, output, rel->sign_key, err) < 0)
        return -1;
    if (rel->mtime >= 0) {
        struct timespec times[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = (time_t)rel->mtime}};
        if (futimens(fd, times) < 0)
            return sn_error_errno(err, errno, "setting the modification time of %s", output);
    }
    if (fstat(fd, &st) < 0)
        return sn_error_errno(err, errno, "fstat of the output");
    s->file_bytes = (uint64_t)st.st_size;
    return 0;
}

/* Writes the release file DEST (NULL: none) from the bundle FD into *OUT, not yet renamed. */
static int release_file(int fd, const char *output, const char *name, const char *dest, int zsync,
                        struct output **out, struct sn_error *err)
{
    *out = NULL;
    if (!dest)
        return 0;
    if (output_open(dest, out, err) < 0)
        return -1;
    int rc = zsync ? zsync_write_fd(fd, name, NULL, 0, output_fd(*out), dest, err)
                   : sha256_write_checksum(fd, output, name, output_fd(*out), dest, err);
    if (rc < 0) {
        output_abort(*out);
        *out = NULL;
    }
    return rc;
}

static void abort_all(struct output **outs, int n)
{
    for (int i = 0; i < n; i++)
        if (outs[i])
            output_abort(outs[i]);
}

/* Commits OUTS (NULL entries skipped) together, the bundle (the last) with mode 0755. */
static int commit_all(struct output **outs, int n, struct sn_error *err)
{
    struct output *group[OUTPUT_MAX];
    mode_t modes[OUTPUT_MAX];
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!outs[i])
            continue;
        modes[m] = i == n - 1 ? 0755 : 0644;
        group[m++] = outs[i];
    }
    return output_commit_group(group, modes, m, err);
}

/* The bundle in OUTS[2] is complete: signs it, writes the release files into OUTS[0] and OUTS[1],
 * and renames all of them. Takes OUTS in every case. */
static int publish(struct output **outs, const char *output, const struct bundle_release *rel,
                   struct bundle_stats *s, struct sn_error *err)
{
    static const struct bundle_release none = {.mtime = -1};
    int fd = output_fd(outs[2]);
    const char *base = strrchr(output, '/') ? strrchr(output, '/') + 1 : output;
    const char *name = rel && rel->name ? rel->name : base;
    if (!rel)
        rel = &none;
    if (finish(fd, output, rel, s, err) < 0 ||
        release_file(fd, output, name, rel->zsync_path, 1, &outs[0], err) < 0 ||
        release_file(fd, output, name, rel->sha256_path, 0, &outs[1], err) < 0) {
        abort_all(outs, 3);
        return -1;
    }
    return commit_all(outs, 3, err);
}

int bundle_write(const char *output, const char *runtime, const struct sqw_tree *t,
                 const struct sqw_options *opts, const char *update_info,
                 const struct bundle_release *rel, struct bundle_stats *stats, struct sn_error *err)
{
    struct output *outs[3] = {NULL, NULL, NULL}; /* .zsync, .sha256, the bundle last */
    if (update_info && appimage_check_update_info(update_info, err) < 0)
        return -1;
    int rt = regular_file_open(runtime, "the runtime", err);
    if (rt < 0)
        return -1;
    if (output_open(output, &outs[2], err) < 0) {
        close(rt);
        return -1;
    }
    int rc = fill(output_fd(outs[2]), rt, runtime, output, t, opts, update_info, stats, err);
    close(rt);
    if (rc < 0) {
        output_abort(outs[2]);
        return -1;
    }
    return publish(outs, output, rel, stats, err);
}
