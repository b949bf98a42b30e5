/* The entry's listing of the host's root entries: sorted, without ".", ".." and skipped names.
 * (The mounts themselves are tested by the integration tests, against the real kernel.) */
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

#include "mountroot.h"

static char dir[64];

static void touch(const char *name, int is_dir)
{
    char path[128];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (is_dir) {
        assert_int_equal(mkdir(path, 0755), 0);
        return;
    }
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/sn-entry-unit.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    touch("usr", 1);
    touch("nix", 1);
    touch("etc", 1);
    touch("entrypoint", 0);
    touch("bin", 0);
    touch(".dockerenv", 0);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_entries_sorted_and_skipped(void **state)
{
    static const char *const skip[] = {"nix", "entrypoint", NULL};
    struct en_err err = {0};
    char **names;
    size_t count;

    (void)state;
    assert_int_equal(en_dir_entries(dir, skip, &names, &count, &err), 0);
    assert_int_equal(count, 4);
    assert_string_equal(names[0], ".dockerenv");
    assert_string_equal(names[1], "bin");
    assert_string_equal(names[2], "etc");
    assert_string_equal(names[3], "usr");
    en_names_free(names, count);
}

static void test_entries_no_skip(void **state)
{
    struct en_err err = {0};
    char **names;
    size_t count;

    (void)state;
    assert_int_equal(en_dir_entries(dir, NULL, &names, &count, &err), 0);
    assert_int_equal(count, 6);
    en_names_free(names, count);
}

static void test_entries_missing_dir(void **state)
{
    struct en_err err = {0};
    char **names;
    size_t count;

    (void)state;
    assert_int_equal(en_dir_entries("/nonexistent-dir", NULL, &names, &count, &err), -1);
    assert_non_null(strstr(err.msg, "cannot list /nonexistent-dir"));
    assert_null(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entries_sorted_and_skipped),
        cmocka_unit_test(test_entries_no_skip),
        cmocka_unit_test(test_entries_missing_dir),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
