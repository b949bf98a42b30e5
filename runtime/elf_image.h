/* Reads the ELF headers at the front of an AppImage type 2 file: where the squashfs image starts
 * and where the named AppImage sections (.upd_info, .sha256_sig, ...) are. 64-bit ELF only. */
#ifndef SQUASHNIX_RT_ELF_IMAGE_H
#define SQUASHNIX_RT_ELF_IMAGE_H

#include <stdint.h>

#include "rt_error.h"

/* The end of the ELF (the squashfs image's offset) of the file open on fd: the larger of the end of
 * the section header table and the end of the last section that occupies file space. */
int rt_elf_image_offset(int fd, uint64_t *offset, struct rt_error *err);

/* Finds the section called name in the file open on fd; sets its file offset and size. */
int rt_elf_section(int fd, const char *name, uint64_t *offset, uint64_t *size,
                   struct rt_error *err);

/* Reads the section called name into a fresh NUL-terminated buffer (the caller frees it). */
int rt_elf_section_read(int fd, const char *name, char **data, uint64_t *size,
                        struct rt_error *err);

#endif
