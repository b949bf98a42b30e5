/* libFuzzer harness: the runtime's ELF reader (runtime/elf_image.c), which finds the image offset
 * and the AppImage sections in a file it did not write ($TARGET_APPIMAGE can name any file).
 * Any input must give an offset and sections or an error, never a crash, a leak or undefined
 * behaviour; a section read is bounded in size.
 * sources: runtime/elf_image.c runtime/rt_error.c
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "elf_image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a file: the reader works with pread on a descriptor. */
static int input_fd(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz-elf", MFD_CLOEXEC);

    if (fd < 0)
        abort();
    if (size > 0 && write(fd, data, size) != (ssize_t)size)
        abort();
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {".digest_md5", ".upd_info", ".sha256_sig",
                                        ".sig_key",    ".shstrtab", ""};
    struct rt_error err;
    uint64_t offset, len;
    int fd = input_fd(data, size);

    (void)rt_elf_image_offset(fd, &offset, &err);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *buf = NULL;

        (void)rt_elf_section(fd, names[i], &offset, &len, &err);
        if (rt_elf_section_read(fd, names[i], &buf, &len, &err) == 0)
            free(buf);
    }
    close(fd);
    return 0;
}
