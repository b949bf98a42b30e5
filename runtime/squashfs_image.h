/* An AppImage's squashfs image: the file, where the image starts, and the runtime's own reader
 * (runtime/sqfs/) over it.
 * Opening checks the whole chain (ELF header, superblock, size, root inode) so that a truncated or
 * corrupted bundle is refused up front with a message that names the file, before anything is
 * mounted or created. */
#ifndef SQUASHNIX_RT_SQUASHFS_IMAGE_H
#define SQUASHNIX_RT_SQUASHFS_IMAGE_H

#include <stdint.h>

#include "sqfs/sqfs.h"

#include "rt_error.h"

struct rt_image;

/* Opens path (an AppImage: ELF runtime + squashfs) and validates its image. */
int rt_image_open(const char *path, struct rt_image **out, struct rt_error *err);

/* Closes the file and frees the reader. NULL is fine. */
void rt_image_close(struct rt_image *img);

/* The path it was opened with. */
const char *rt_image_path(const struct rt_image *img);

/* The file descriptor (O_CLOEXEC, read-only). */
int rt_image_fd(const struct rt_image *img);

/* Byte offset of the squashfs image in the file (the end of the ELF). */
uint64_t rt_image_offset(const struct rt_image *img);

/* The reader over the image (the image's; valid until rt_image_close). */
struct rt_sqfs *rt_image_fs(struct rt_image *img);

/* A key naming this image's contents for the extraction cache: 32 hex digits. When the ELF's
 * .digest_md5 section holds a digest of the file, over it, the superblock and the metadata tables
 * (which record every file's size and blocks); else over the whole image. */
int rt_image_digest(struct rt_image *img, char out[33], struct rt_error *err);

#endif
