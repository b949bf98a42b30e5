/* Writing a bundle file: the runtime, the squashfs image right after its ELF end, the update
 * information, the MD5 digest and optionally a signature, into a temporary file renamed into place
 * (mode 0755) only when complete; with it, optionally, its .zsync and .sha256 release files. All
 * of them are written and synced under temporary names before any is renamed: a failure leaves
 * none of them. Library code: never prints or exits. */
#ifndef SQUASHNIX_BUNDLE_H
#define SQUASHNIX_BUNDLE_H

#include <stdint.h>

#include "appimage.h"
#include "error.h"
#include "squashfs/writer.h"

struct bundle_stats {
    struct sqw_stats image; /* what the writer reports */
    uint64_t offset;        /* where the image starts: the runtime's ELF end */
    uint64_t file_bytes;    /* size of the whole file */
};

/* What goes with a bundle to publish it (docs/design.md, "Release distribution"). */
struct bundle_release {
    const char *sign_key;    /* gpg key (anything gpg --local-user takes) to sign with, or NULL */
    const char *name;        /* the file name the bundle is published under: the .zsync's
                                Filename and URL, the .sha256's file name */
    const char *zsync_path;  /* where the .zsync goes, or NULL for none */
    const char *sha256_path; /* where the .sha256 goes, or NULL for none */
    int64_t mtime;           /* the bundle's modification time (the .zsync's MTime), or -1: now */
};

/* Checks that RUNTIME is an AppImage type 2 runtime for this machine; fills L. */
int bundle_check_runtime(const char *runtime, struct appimage_layout *l, struct sn_error *err);

/* Writes OUTPUT from the runtime file RUNTIME and the tree T, and the release files REL asks for.
 * UPDATE_INFO and REL may be NULL. */
int bundle_write(const char *output, const char *runtime, const struct sqw_tree *t,
                 const struct sqw_options *opts, const char *update_info,
                 const struct bundle_release *rel, struct bundle_stats *stats,
                 struct sn_error *err);

#endif
