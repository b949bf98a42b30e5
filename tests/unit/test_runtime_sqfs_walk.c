/* The runtime's squashfs reader's walk on hostile trees made from real mksquashfs images: a
 * directory entry patched to point back at the root (a cycle) is refused instead of looping; a
 * tree deeper than RT_SQFS_MAX_DEPTH is refused; one just within it is walked to the bottom; every
 * event is reported in order, with the directory ends. */
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

#include "sqfs/sqfs.h"

static char dir[] = "/tmp/sn-sqfs-walk-XXXXXX";

static void run(const char *cmd)
{
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    run(cmd);
    return 0;
}

/* Walks dir/name to the end; returns the walk's result (0 or -1), the number of events, the
 * deepest path seen and the error in err. */
static int walk_image(const char *name, size_t *events, size_t *deepest, struct rt_error *err)
{
    char path[256];
    struct rt_sqfs *fs;
    struct rt_sqfs_walk *w;
    int fd, rc;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    if (rt_sqfs_open(fd, 0, (uint64_t)lseek(fd, 0, SEEK_END), &fs, err) < 0)
        fail_msg("%s: %s", name, err->msg);
    assert_int_equal(rt_sqfs_walk_open(fs, &w, err), 0);
    *events = *deepest = 0;
    while ((rc = rt_sqfs_walk_next(w, err)) > 0) {
        size_t depth = 1;

        for (const char *p = rt_sqfs_walk_path(w); *p; p++)
            depth += *p == '/';
        *deepest = depth > *deepest ? depth : *deepest;
        ++*events;
    }
    rt_sqfs_walk_close(w);
    rt_sqfs_close(fs);
    close(fd);
    return rc;
}

/* root/d/QQQQ is a directory; its entry is patched to name the root's inode. */
static void test_cycle_refused(void **state)
{
    char cmd[1024];
    struct rt_error err;
    size_t events, deepest;

    (void)state;
    snprintf(cmd, sizeof(cmd),
             "set -e; cd %s; mkdir -p c/d/QQQQ; mksquashfs c cycle.sqfs -noI -noD -noF -noX"
             " -noappend -quiet -all-root >/dev/null; python3 -c '\n"
             "import sys\n"
             "b = bytearray(open(\"cycle.sqfs\", \"rb\").read())\n"
             "root = int.from_bytes(b[32:40], \"little\")\n"
             "assert root >> 16 == 0\n" /* one inode block: the header's block needs no patch */
             "at = b.index(b\"QQQQ\", int.from_bytes(b[72:80], \"little\"))\n"
             "b[at - 8:at - 6] = (root & 0xffff).to_bytes(2, \"little\")\n"
             "open(\"cycle.sqfs\", \"wb\").write(b)'",
             dir);
    run(cmd);
    assert_int_equal(walk_image("cycle.sqfs", &events, &deepest, &err), -1);
    if (!strstr(err.msg, "listed twice (a cycle)"))
        fail_msg("unexpected error: %s", err.msg);
}

/* A chain of nested directories n deep (names "d"), as mksquashfs writes it. */
static void make_deep(const char *name, int n)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd),
             "set -e; cd %s; rm -rf t; mkdir t; (cd t; for i in $(seq %d); do mkdir d; cd d; done);"
             " mksquashfs t %s -noappend -quiet -all-root >/dev/null",
             dir, n, name);
    run(cmd);
}

static void test_depth_limit(void **state)
{
    struct rt_error err;
    size_t events, deepest;

    (void)state;
    make_deep("ok.sqfs", RT_SQFS_MAX_DEPTH);
    assert_int_equal(walk_image("ok.sqfs", &events, &deepest, &err), 0);
    assert_int_equal(deepest, RT_SQFS_MAX_DEPTH);
    /* Each directory: its entry, and its end. */
    assert_int_equal(events, 2 * RT_SQFS_MAX_DEPTH);
    make_deep("deep.sqfs", RT_SQFS_MAX_DEPTH + 1);
    assert_int_equal(walk_image("deep.sqfs", &events, &deepest, &err), -1);
    if (!strstr(err.msg, "nested deeper than"))
        fail_msg("unexpected error: %s", err.msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cycle_refused),
        cmocka_unit_test(test_depth_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
