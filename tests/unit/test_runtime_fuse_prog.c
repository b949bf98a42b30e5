/* Finding the fusermount helper: $FUSERMOUNT_PROG (a path or a name in PATH) first, then
 * fusermount3 before fusermount in PATH; a FUSERMOUNT_PROG that is not a program is an error that
 * names it. (Mounting itself is tested end to end by the integration tests.) */
#include <limits.h>
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

#include "fuse_prog.h"

static char dir[] = "/tmp/sn-fuseprog-XXXXXX";
static char *saved_path; /* the tests change PATH; system() needs it back */

/* Makes an executable dir/sub/name. */
static void make_prog(const char *sub, const char *name)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd),
             "mkdir -p %s/%s && printf '#!/bin/sh\\n' >%s/%s/%s && chmod 0755 %s/%s/%s", dir, sub,
             dir, sub, name, dir, sub, name);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    (void)state;
    saved_path = strdup(getenv("PATH"));
    assert_non_null(mkdtemp(dir));
    make_prog("a", "fusermount");
    make_prog("b", "fusermount3");
    make_prog("c", "my-helper");
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    setenv("PATH", saved_path, 1);
    free(saved_path);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void expect_found(const char *expected_sub, const char *expected_name)
{
    char path[PATH_MAX], expected[PATH_MAX];
    struct rt_error err;

    snprintf(expected, sizeof(expected), "%s/%s/%s", dir, expected_sub, expected_name);
    if (rt_fusermount_find(path, sizeof(path), &err) < 0)
        fail_msg("%s", err.msg);
    assert_string_equal(path, expected);
}

static void test_fusermount3_first_in_path(void **state)
{
    char path[PATH_MAX * 2];

    (void)state;
    unsetenv("FUSERMOUNT_PROG");
    /* fusermount (a/) comes first in PATH, but fusermount3 (b/) is preferred anywhere in it. */
    snprintf(path, sizeof(path), "%s/a:%s/b", dir, dir);
    setenv("PATH", path, 1);
    expect_found("b", "fusermount3");
}

static void test_fusermount_prog(void **state)
{
    char path[PATH_MAX * 2], prog[PATH_MAX];
    struct rt_error err;

    (void)state;
    snprintf(path, sizeof(path), "%s/a:%s/b:%s/c", dir, dir, dir);
    setenv("PATH", path, 1);
    setenv("FUSERMOUNT_PROG", "my-helper", 1);
    expect_found("c", "my-helper");
    snprintf(prog, sizeof(prog), "%s/a/fusermount", dir);
    setenv("FUSERMOUNT_PROG", prog, 1);
    expect_found("a", "fusermount");
    setenv("FUSERMOUNT_PROG", "/nonexistent/fusermount", 1);
    assert_int_equal(rt_fusermount_find(path, sizeof(path), &err), -1);
    assert_non_null(strstr(err.msg, "FUSERMOUNT_PROG=/nonexistent/fusermount"));
    unsetenv("FUSERMOUNT_PROG");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fusermount3_first_in_path),
        cmocka_unit_test(test_fusermount_prog),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
