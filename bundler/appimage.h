/* The AppImage type 2 container: an ELF runtime whose ident padding holds "AI\x02" at offset 8,
 * with four fixed-size sections (.digest_md5 16 B, .upd_info 1024 B, .sha256_sig 1024 B, .sig_key
 * 8192 B), followed by the squashfs image at the end of the ELF. This module reads that layout
 * from an open file, checks it, fills .upd_info and computes and writes .digest_md5 the way the
 * AppImage specification (and appimagetool) computes it. Library code: never prints or exits. */
#ifndef SQUASHNIX_APPIMAGE_H
#define SQUASHNIX_APPIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "md5.h"

#define APPIMAGE_MAGIC_OFFSET    8
#define APPIMAGE_UPDATE_INFO_MAX 1023 /* .upd_info is 1024 bytes and NUL-terminated */

enum appimage_section {
    APPIMAGE_DIGEST_MD5,
    APPIMAGE_UPD_INFO,
    APPIMAGE_SHA256_SIG,
    APPIMAGE_SIG_KEY,
    APPIMAGE_N_SECTIONS,
};

/* Where things are in an AppImage (or in a runtime alone): byte offsets from the file's start. */
struct appimage_layout {
    uint64_t elf_end; /* end of the ELF = where the squashfs image starts */
    uint64_t offset[APPIMAGE_N_SECTIONS];
    uint64_t size[APPIMAGE_N_SECTIONS];
};

/* The name of section S, e.g. ".digest_md5". */
const char *appimage_section_name(enum appimage_section s);

/* The machine this bundler builds for, as uname -m prints it (e.g. "x86_64"). */
const char *appimage_arch(void);

/* Reads the ELF header and section headers of FD and checks that they describe an AppImage type 2
 * runtime for this machine: 64-bit ELF of this machine and byte order, "AI\x02" at offset 8, the
 * four sections with their exact sizes inside the file. NAME is used in messages. */
int appimage_read_layout(int fd, const char *name, struct appimage_layout *out,
                         struct sn_error *err);

/* Checks an update information string: "zsync|URL" or
 * "gh-releases-zsync|USER|REPO|RELEASE|FILENAME" (five non-empty fields), at most 1023 bytes,
 * printable ASCII only. */
int appimage_check_update_info(const char *info, struct sn_error *err);

/* Writes INFO (checked with appimage_check_update_info) into .upd_info of FD, zero-padded. */
int appimage_write_update_info(int fd, const struct appimage_layout *l, const char *info,
                               struct sn_error *err);

/* The MD5 of the whole file FD with .digest_md5, .sha256_sig and .sig_key read as zeros (the
 * AppImage specification's digest; .upd_info is included). */
int appimage_compute_digest(int fd, const struct appimage_layout *l,
                            unsigned char out[MD5_DIGEST_LEN], struct sn_error *err);

/* Writes DIGEST into .digest_md5 of FD. */
int appimage_write_digest(int fd, const struct appimage_layout *l,
                          const unsigned char digest[MD5_DIGEST_LEN], struct sn_error *err);

/* Reads section S of FD into BUF (LEN must be at least the section's size). */
int appimage_read_section(int fd, const struct appimage_layout *l, enum appimage_section s,
                          void *buf, size_t len, struct sn_error *err);

#endif
