/* `squashnix inspect FILE`: what an AppImage type 2 file holds, read without running it. The ELF
 * layout and sections with our own reader (appimage.h), the squashfs image with libsquashfuse.
 * Library code: never prints or exits. */
#ifndef SQUASHNIX_INSPECT_H
#define SQUASHNIX_INSPECT_H

#include <stdint.h>

#include "appimage.h"
#include "error.h"

struct inspect_info {
    uint64_t file_bytes;
    struct appimage_layout layout; /* layout.elf_end: the image offset */
    char runtime_version[64];      /* "" when the runtime does not say */
    char update_info[1024];        /* "" when none */
    int digest_set;                /* .digest_md5 is not all zeros */
    int digest_ok;                 /* the stored digest is the computed one */
    unsigned char digest_stored[MD5_DIGEST_LEN];
    unsigned char digest_computed[MD5_DIGEST_LEN];
    char compression[16]; /* of the squashfs image */
    uint32_t block_size;
    char program[4096]; /* /entrypoint's target, "" when absent */
    char *closure;      /* /.squashnix/closure, NULL when absent */
    char *info_json;    /* /.squashnix/info.json, NULL when absent */
};

/* Reads FILE. Fails (SN_ERR_INPUT, naming FILE) when it is not an AppImage type 2 for this
 * machine or its image is not a readable squashfs. Release with inspect_free. */
int inspect_file(const char *file, struct inspect_info *out, struct sn_error *err);

void inspect_free(struct inspect_info *info);

#endif
