/* Opening an AppImage's image: a valid one opens at the end of the ELF; truncated, corrupted and
 * non-AppImage files are refused with a message that names the file and the problem; the cache key
 * is stable for one image and differs between images. */
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

#include "squashfs_image.h"

static char dir[] = "/tmp/sn-image-XXXXXX";

/* Runs a shell script in dir ($PPID is this program). */
static void run(const char *script)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "set -e; cd %s; %s", dir, script);
    assert_int_equal(system(cmd), 0);
}

/* Two AppImages (this test program as the ELF, then an image) and damaged copies of the first. */
static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    run("mkdir src; echo one >src/f; mksquashfs src one.sqfs -quiet -noappend "
        "-all-root >/dev/null; echo two >src/f; mksquashfs src two.sqfs -quiet -noappend -all-root "
        ">/dev/null; cat /proc/$PPID/exe one.sqfs >one.AppImage; cat /proc/$PPID/exe two.sqfs "
        ">two.AppImage; cat /proc/$PPID/exe >elf-only; : >empty");
    run("size=$(stat -c %s elf-only); used=$(od -An -tu8 -j$((size + 40)) -N8 "
        "one.AppImage | tr -d ' '); head -c $((size + used - 1)) one.AppImage >cut; cp "
        "one.AppImage "
        "magic; printf X | dd of=magic bs=1 seek=$size conv=notrunc status=none");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    run("cd / && rm -rf \"$OLDPWD\"");
    return 0;
}

static void expect_error(const char *name, const char *what)
{
    char path[128];
    struct rt_image *img = NULL;
    struct rt_error err;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(rt_image_open(path, &img, &err), -1);
    assert_null(img);
    assert_non_null(strstr(err.msg, path));
    if (!strstr(err.msg, what))
        fail_msg("%s: [%s] not in [%s]", name, what, err.msg);
}

static void test_valid(void **state)
{
    char path[128];
    struct rt_image *img;
    struct rt_error err;
    struct stat st;

    (void)state;
    snprintf(path, sizeof(path), "%s/elf-only", dir);
    assert_int_equal(stat(path, &st), 0);
    snprintf(path, sizeof(path), "%s/one.AppImage", dir);
    assert_int_equal(rt_image_open(path, &img, &err), 0);
    assert_int_equal(rt_image_offset(img), (uint64_t)st.st_size);
    assert_string_equal(rt_image_path(img), path);
    assert_true(rt_image_fd(img) >= 0);
    rt_image_close(img);
}

static void test_refused(void **state)
{
    (void)state;
    expect_error("cut", "truncated");
    expect_error("magic", "bad magic");
    expect_error("elf-only", "no squashfs image after the runtime");
    expect_error("empty", "not an ELF file");
    expect_error("missing", "No such file");
    expect_error("", "not a regular file"); /* the directory itself */
}

static void digest(const char *name, char out[33])
{
    char path[128];
    struct rt_image *img;
    struct rt_error err;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(rt_image_open(path, &img, &err), 0);
    assert_int_equal(rt_image_digest(img, out, &err), 0);
    rt_image_close(img);
}

static void test_digest(void **state)
{
    char a[33], b[33], c[33];

    (void)state;
    digest("one.AppImage", a);
    digest("one.AppImage", b);
    digest("two.AppImage", c);
    assert_int_equal(strlen(a), 32);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_digest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
