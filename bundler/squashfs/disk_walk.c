/* sqw_tree_add_host: walks a host tree with libarchive's disk reader (symlinks never followed) and
 * adds each entry to the image tree. Only metadata is read here; file data is read when the image
 * is written. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "tree.h"

struct walk {
    struct sqw_tree *tree;
    const char *dest;
    const char *src;
    size_t src_len;
    sqw_exclude_fn exclude;
    void *exclude_ctx;
};

static const char *type_name(mode_t type)
{
    switch (type) {
    case AE_IFIFO:
        return "a named pipe (fifo)";
    case AE_IFSOCK:
        return "a socket";
    case AE_IFCHR:
        return "a character device";
    case AE_IFBLK:
        return "a block device";
    default:
        return "of an unsupported type";
    }
}

/* The image path of host path PATH: DEST followed by what PATH adds to SRC. */
static int image_path(const struct walk *w, const char *path, char *out, size_t cap,
                      struct sn_error *err)
{
    const char *rest = path + w->src_len;
    while (*rest == '/')
        rest++;
    int n;
    if (*w->dest == '\0')
        n = snprintf(out, cap, "%s", rest);
    else if (*rest == '\0')
        n = snprintf(out, cap, "%s", w->dest);
    else
        n = snprintf(out, cap, "%s/%s", w->dest, rest);
    if (n < 0 || (size_t)n >= cap)
        return sn_error_set(err, SN_ERR_INPUT, "path too long: %s", path);
    return 0;
}

static int add_entry(struct walk *w, struct archive_entry *e, const char *dest,
                     struct sn_error *err)
{
    const char *host = archive_entry_sourcepath(e);
    mode_t perm = archive_entry_perm(e);
    int64_t mtime = archive_entry_mtime(e);
    switch (archive_entry_filetype(e)) {
    case AE_IFDIR:
        return sqw_tree_put_dir(w->tree, dest, perm, mtime, err);
    case AE_IFLNK:
        return sqw_tree_put_symlink(w->tree, dest, archive_entry_symlink(e), mtime, err);
    case AE_IFREG:
        return sqw_tree_put_host_file(w->tree, dest, host, (uint64_t)archive_entry_size(e),
                                      archive_entry_dev(e), archive_entry_ino64(e), perm, mtime,
                                      err);
    default:
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s is %s; the image holds only regular files, directories and "
                            "symlinks: remove it or exclude it",
                            host, type_name(archive_entry_filetype(e)));
    }
}

/* Handles one entry: exclusion, then adding; descends into directories. */
static int visit(struct walk *w, struct archive *a, struct archive_entry *e, struct sn_error *err)
{
    char dest[8192], slashed[8194];
    const char *host = archive_entry_sourcepath(e);
    int is_dir = archive_entry_filetype(e) == AE_IFDIR;
    if (image_path(w, host, dest, sizeof(dest), err) < 0)
        return -1;
    snprintf(slashed, sizeof(slashed), "/%s", dest);
    if (w->exclude != NULL && w->exclude(w->exclude_ctx, slashed, is_dir)) {
        if (archive_entry_filetype(e) == AE_IFREG)
            sqw_tree_count_excluded(w->tree, (uint64_t)archive_entry_size(e));
        return 0; /* not descending: an excluded directory is excluded whole */
    }
    if (add_entry(w, e, dest, err) < 0)
        return -1;
    if (is_dir && archive_read_disk_descend(a) != ARCHIVE_OK)
        return sn_error_set(err, SN_ERR_SYSTEM, "cannot descend into %s: %s", host,
                            archive_error_string(a));
    return 0;
}

static int walk_all(struct walk *w, struct archive *a, struct sn_error *err)
{
    struct archive_entry *e = archive_entry_new();
    if (e == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "cannot allocate an archive entry");
    int rc = 0;
    for (;;) {
        int r = archive_read_next_header2(a, e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK) {
            rc = sn_error_set(err, SN_ERR_SYSTEM, "reading %s failed: %s", w->src,
                              archive_error_string(a));
            break;
        }
        if (visit(w, a, e, err) < 0) {
            rc = -1;
            break;
        }
    }
    archive_entry_free(e);
    return rc;
}

int sqw_tree_add_host(struct sqw_tree *t, const char *dest, const char *src, sqw_exclude_fn exclude,
                      void *exclude_ctx, struct sn_error *err)
{
    struct walk w = {t, dest, src, strlen(src), exclude, exclude_ctx};
    while (w.src_len > 1 && src[w.src_len - 1] == '/')
        w.src_len--;
    struct stat st;
    if (lstat(src, &st) < 0)
        return sn_error_errno(err, errno, "cannot add %s", src);
    struct archive *a = archive_read_disk_new();
    if (a == NULL)
        return sn_error_set(err, SN_ERR_NOMEM, "cannot create a libarchive disk reader");
    /* Physical: symlinks are entries, never followed. Metadata only: no xattrs, ACLs, flags or
     * sparse maps, so that libarchive opens nothing. */
    archive_read_disk_set_symlink_physical(a);
    int rc = archive_read_disk_set_behavior(a, ARCHIVE_READDISK_NO_XATTR | ARCHIVE_READDISK_NO_ACL |
                                                   ARCHIVE_READDISK_NO_FFLAGS |
                                                   ARCHIVE_READDISK_NO_SPARSE);
    if (rc == ARCHIVE_OK)
        rc = archive_read_disk_open(a, src);
    if (rc != ARCHIVE_OK) {
        sn_error_set(err, SN_ERR_SYSTEM, "cannot open %s: %s", src, archive_error_string(a));
        archive_read_free(a);
        return -1;
    }
    rc = walk_all(&w, a, err);
    archive_read_free(a);
    return rc;
}
