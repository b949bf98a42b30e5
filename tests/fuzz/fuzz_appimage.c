/* libFuzzer harness: the bundler's AppImage layout reader and update-information check
 * (bundler/appimage.c). `squashnix inspect` and `--runtime FILE` read ELF files the user names,
 * and `--update-info` / the Nix option take any string. Any input must give a layout or an error,
 * never a crash, a leak or undefined behaviour.
 * sources: bundler/appimage.c bundler/file_digest.c bundler/md5.c bundler/md_block.c
 * sources: bundler/error.c
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "appimage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_fd(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-appimage", MFD_CLOEXEC);

    if (fd < 0)
        abort();
    if (size > 0 && write(fd, data, size) != (ssize_t)size)
        abort();
    return fd;
}

static void read_layout(const uint8_t *data, size_t size)
{
    struct appimage_layout l;
    struct sn_error err;
    unsigned char digest[MD5_DIGEST_LEN];
    static unsigned char buf[8192];
    int fd = input_fd(data, size);

    if (appimage_read_layout(fd, "fuzz", &l, &err) == 0) {
        for (int s = 0; s < APPIMAGE_N_SECTIONS; s++)
            (void)appimage_read_section(fd, &l, (enum appimage_section)s, buf, sizeof(buf), &err);
        (void)appimage_compute_digest(fd, &l, digest, &err);
    }
    close(fd);
}

static void check_update_info(const uint8_t *data, size_t size)
{
    struct sn_error err;
    char *s = malloc(size + 1);

    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    (void)appimage_check_update_info(s, &err);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_layout(data, size);
    check_update_info(data, size);
    return 0;
}
