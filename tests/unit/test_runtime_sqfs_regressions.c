/* The fuzzer's reproducers (tests/fuzz/regressions/extract/, one .sqfs file each), each of which
 * crashed or read out of bounds in Debian's libsquashfuse 0.1.105 when the runtime extracted with
 * it: the runtime's own reader must refuse each with an error naming what is corrupted, and extract
 * nothing outside the target. Run under `make SANITIZE=1` to prove there is no out-of-bounds
 * access on the way. */
#include <fcntl.h>
#include <libgen.h>
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

#include "extract.h"

/* Extracts the reproducer into a fresh directory; returns the error message (static). */
static const char *extract_reproducer(const char *name)
{
    static struct rt_error err;
    char here[512], path[1024], dir[] = "/tmp/sn-sqfs-regr-XXXXXX", cmd[128];
    struct rt_sqfs *fs = NULL;
    int fd, root, rc;
    off_t size;

    snprintf(here, sizeof(here), "%s", __FILE__);
    snprintf(path, sizeof(path), "%s/../fuzz/regressions/extract/%s", dirname(here), name);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        fail_msg("cannot open %s", path);
    size = lseek(fd, 0, SEEK_END);
    assert_true(size > 0);
    assert_non_null(mkdtemp(dir));
    root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(root >= 0);
    rc = rt_sqfs_open(fd, 0, (uint64_t)size, &fs, &err);
    if (rc == 0) {
        rc = rt_extract(fs, root, NULL, &err);
        rt_sqfs_close(fs);
    }
    close(root);
    close(fd);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(rc, -1);
    return err.msg;
}

static void expect(const char *name, const char *what)
{
    const char *msg = extract_reproducer(name);

    assert_non_null(strstr(msg, "corrupted"));
    if (!strstr(msg, what))
        fail_msg("%s: [%s] not in [%s]", name, what, msg);
}

/* sqfs_frag_entry: no check of the index against the fragment count (NULL dereference). */
static void test_frag_index_out_of_range(void **state)
{
    (void)state;
    expect("frag-index-out-of-range.sqfs", "metadata block");
}

/* sqfs_dir_next: an entry read past the end of its metadata block. */
static void test_dir_next_heap_overflow(void **state)
{
    (void)state;
    expect("dir-next-heap-overflow.sqfs", "past the end of the 50-byte metadata block");
}

/* sqfs_inode_get: an inode read past the end of its metadata block. */
static void test_inode_get_heap_overflow(void **state)
{
    (void)state;
    expect("inode-get-heap-overflow.sqfs", "past the end of the 96-byte metadata block");
}

/* sqfs_read_range: a file's tail taken past the end of its fragment block. */
static void test_read_range_heap_overflow(void **state)
{
    (void)state;
    expect("read-range-heap-overflow.sqfs", "tail is past the end of fragment 0");
}

/* sqfs_read_range: a file size whose block list the inode table cannot hold (NULL block). */
static void test_read_range_null_block(void **state)
{
    (void)state;
    expect("read-range-null-block.sqfs", "size 2161727821137837830");
}

/* sqfs_read_range: a fragment offset far outside the fragment block (wild read). */
static void test_read_range_wild_read(void **state)
{
    (void)state;
    expect("read-range-wild-read.sqfs", "fragment 0 at offset 4294966784");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frag_index_out_of_range),
        cmocka_unit_test(test_dir_next_heap_overflow),
        cmocka_unit_test(test_inode_get_heap_overflow),
        cmocka_unit_test(test_read_range_heap_overflow),
        cmocka_unit_test(test_read_range_null_block),
        cmocka_unit_test(test_read_range_wild_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
