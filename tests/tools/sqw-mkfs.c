/* sqw-mkfs: writes a squashfs image of a directory with the squashnix writer, so that tests and
 * benchmarks can drive the writer on its own.
 *
 *   sqw-mkfs [-c COMP] [-l LEVEL] [-b BLOCK] [-j JOBS] [--offset N] SRC_DIR OUT
 *
 * The image is written at byte N of OUT (the first N bytes are kept; zeros when OUT is shorter).
 * Times come from SOURCE_DATE_EPOCH when set. Exit status: 0 done, 1 the image could not be made
 * (OUT is then cut back to N bytes, or removed when this run created it), 2 usage. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "writer.h"

static int usage(const char *msg)
{
    fprintf(stderr,
            "sqw-mkfs: %s\nusage: sqw-mkfs [-c zstd|xz|gzip|lz4|none] [-l LEVEL] [-b BLOCK] "
            "[-j JOBS] [--offset N] SRC_DIR OUT\n",
            msg);
    return 2;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || *s == '-')
        return -1;
    *out = v;
    return 0;
}

struct args {
    struct sqw_options opts;
    uint64_t offset;
    const char *src, *out;
};

static int parse_args(int argc, char **argv, struct args *a)
{
    static const struct option longopts[] = {{"offset", required_argument, NULL, 'o'},
                                             {NULL, 0, NULL, 0}};
    uint64_t v;
    int c;
    a->opts.level = -1;
    a->opts.mtime = -1;
    while ((c = getopt_long(argc, argv, "c:l:b:j:", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            if (sqw_compressor_parse(optarg, &a->opts.compressor) < 0)
                return usage("unknown compressor (use zstd, xz, gzip, lz4 or none)");
            break;
        case 'l':
            if (parse_u64(optarg, &v) < 0 || v > 100)
                return usage("-l takes a compression level");
            a->opts.level = (int)v;
            break;
        case 'b':
            if (parse_u64(optarg, &v) < 0 || v > UINT32_MAX || v == 0)
                return usage("-b takes a block size in bytes");
            a->opts.block_size = (uint32_t)v;
            break;
        case 'j':
            if (parse_u64(optarg, &v) < 0 || v == 0 || v > 256)
                return usage("-j takes a thread count from 1 to 256");
            a->opts.jobs = (unsigned)v;
            break;
        case 'o':
            if (parse_u64(optarg, &a->offset) < 0)
                return usage("--offset takes a byte count");
            break;
        default:
            return usage("unknown option");
        }
    }
    if (argc - optind != 2)
        return usage("expected SRC_DIR and OUT");
    a->src = argv[optind];
    a->out = argv[optind + 1];
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch != NULL) {
        if (parse_u64(epoch, &v) < 0 || v > UINT32_MAX)
            return usage("SOURCE_DATE_EPOCH is not a number of seconds");
        a->opts.mtime = (int64_t)v;
    }
    return 0;
}

static int make_image(const struct args *a, int fd, struct sn_error *err)
{
    struct sqw_tree *t = sqw_tree_new();
    if (t == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    struct sqw_stats st;
    int rc = sqw_tree_add_host(t, "", a->src, NULL, NULL, err);
    if (rc == 0)
        rc = sqw_write(t, fd, a->offset, &a->opts, &st, err);
    sqw_tree_free(t);
    if (rc == 0)
        printf("%llu files, %llu dirs, %llu symlinks; %llu bytes in, %llu bytes of duplicates, "
               "image %llu bytes\n",
               (unsigned long long)st.files, (unsigned long long)st.dirs,
               (unsigned long long)st.symlinks, (unsigned long long)st.input_bytes,
               (unsigned long long)st.dedup_bytes, (unsigned long long)st.image_bytes);
    return rc;
}

int main(int argc, char **argv)
{
    struct args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc != 0)
        return rc;
    struct stat st;
    int existed = stat(a.out, &st) == 0;
    int fd = open(a.out, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "sqw-mkfs: cannot open %s: %s\n", a.out, strerror(errno));
        return 1;
    }
    struct sn_error err = {0};
    rc = ftruncate(fd, (off_t)a.offset);
    if (rc < 0)
        sn_error_errno(&err, errno, "cannot truncate %s to %llu bytes", a.out,
                       (unsigned long long)a.offset);
    else
        rc = make_image(&a, fd, &err);
    if (rc == 0 && close(fd) < 0)
        rc = sn_error_errno(&err, errno, "closing %s", a.out);
    if (rc < 0) {
        fprintf(stderr, "sqw-mkfs: %s\n", err.msg);
        if (existed) {
            if (ftruncate(fd, (off_t)a.offset) < 0)
                fprintf(stderr, "sqw-mkfs: cannot cut %s back: %s\n", a.out, strerror(errno));
        } else {
            unlink(a.out);
        }
        return 1;
    }
    return 0;
}
