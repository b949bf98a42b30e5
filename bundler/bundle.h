/* Writing a bundle file: the runtime, the squashfs image right after its ELF end, the update
 * information and the MD5 digest, into a temporary file renamed into place (mode 0755) only when
 * complete. Library code: never prints or exits. */
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

/* Checks that RUNTIME is an AppImage type 2 runtime for this machine; fills L. */
int bundle_check_runtime(const char *runtime, struct appimage_layout *l, struct sn_error *err);

/* Writes OUTPUT from the runtime file RUNTIME and the tree T. UPDATE_INFO may be NULL. */
int bundle_write(const char *output, const char *runtime, const struct sqw_tree *t,
                 const struct sqw_options *opts, const char *update_info,
                 struct bundle_stats *stats, struct sn_error *err);

#endif
