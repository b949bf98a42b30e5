/* Reading an AppImage's ELF headers: the image offset is the end of the ELF, the AppImage sections
 * are found by name with their sizes, and files that are not 64-bit ELF are refused. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "elf_image.h"

/* This test program links runtime/sections.c, so it carries the four sections itself. */
static void test_sections_of_this_program(void **state)
{
    static const struct {
        const char *name;
        uint64_t size;
    } expected[] = {
        {".digest_md5", 16}, {".upd_info", 1024}, {".sha256_sig", 1024}, {".sig_key", 8192}};
    struct rt_error err;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

    (void)state;
    assert_true(fd >= 0);
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        uint64_t off = 0, size = 0;
        char *data = NULL;

        assert_int_equal(rt_elf_section(fd, expected[i].name, &off, &size, &err), 0);
        assert_true(off > 0);
        assert_int_equal(size, expected[i].size);
        assert_int_equal(rt_elf_section_read(fd, expected[i].name, &data, &size, &err), 0);
        assert_int_equal(data[0], '\0'); /* zero-filled */
        free(data);
    }
    assert_int_equal(rt_elf_section(fd, ".no_such_section", &(uint64_t){0}, &(uint64_t){0}, &err),
                     -1);
    assert_non_null(strstr(err.msg, ".no_such_section"));
    close(fd);
}

/* Linkers put the section header table last: the ELF ends where the file does. */
static void test_offset_is_the_end_of_the_elf(void **state)
{
    struct rt_error err;
    struct stat st;
    uint64_t off = 0;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(fstat(fd, &st), 0);
    assert_int_equal(rt_elf_image_offset(fd, &off, &err), 0);
    assert_int_equal(off, (uint64_t)st.st_size);
    close(fd);
}

static int temp_file(const void *data, size_t len)
{
    char path[] = "/tmp/sn-elf-XXXXXX";
    int fd = mkstemp(path);

    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    return fd;
}

static void test_not_elf(void **state)
{
    struct rt_error err;
    uint64_t off;
    unsigned char elf32[64] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
    int fd;

    (void)state;
    fd = temp_file("#!/bin/sh\necho this is no ELF file at all, only a script............\n", 66);
    assert_int_equal(rt_elf_image_offset(fd, &off, &err), -1);
    assert_non_null(strstr(err.msg, "ELF"));
    close(fd);
    fd = temp_file("", 0);
    assert_int_equal(rt_elf_image_offset(fd, &off, &err), -1);
    assert_non_null(strstr(err.msg, "too short"));
    close(fd);
    fd = temp_file(elf32, sizeof(elf32));
    assert_int_equal(rt_elf_image_offset(fd, &off, &err), -1);
    assert_non_null(strstr(err.msg, "64-bit"));
    close(fd);
}

/* A header that claims a section table beyond the end of the file. */
static void test_truncated_section_table(void **state)
{
    struct rt_error err;
    uint64_t off;
    unsigned char *buf = calloc(1, 4096);
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), fd;

    (void)state;
    assert_true(src >= 0);
    assert_int_equal(read(src, buf, 4096), 4096);
    close(src);
    fd = temp_file(buf, 4096);
    assert_int_equal(rt_elf_image_offset(fd, &off, &err), -1);
    assert_non_null(strstr(err.msg, "too short"));
    close(fd);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sections_of_this_program),
        cmocka_unit_test(test_offset_is_the_end_of_the_elf),
        cmocka_unit_test(test_not_elf),
        cmocka_unit_test(test_truncated_section_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
