/* The native fast path's test: whether a store directory holds every path of a closure, and the
 * SQUASHNIX_NO_HOST_STORE switch. */
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

#include "hoststore.h"

#define H1 "0123456789abcdfghijklmnpqrsvwxyz"
#define H2 "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"

static char store[64];

static int setup(void **state)
{
    char path[160];

    (void)state;
    snprintf(store, sizeof(store), "/tmp/sn-entry-unit.XXXXXX");
    if (mkdtemp(store) == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/" H1 "-a", store);
    if (mkdir(path, 0755) != 0)
        return -1;
    /* A store path may be a symlink, even a dangling one; it exists all the same. */
    snprintf(path, sizeof(path), "%s/" H2 "-link", store);
    return symlink("/nonexistent", path);
}

static int teardown(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", store);
    return system(cmd) == 0 ? 0 : -1;
}

static struct en_closure *closure(const char *text)
{
    struct en_err err = {0};
    struct en_closure *c = en_closure_parse(text, strlen(text), "closure", &err);

    assert_non_null(c);
    return c;
}

static void test_all_present(void **state)
{
    struct en_closure *c = closure("/nix/store/" H1 "-a\n/nix/store/" H2 "-link\n");

    (void)state;
    assert_true(en_hoststore_has_closure(c, store));
    en_closure_free(c);
}

static void test_one_missing(void **state)
{
    struct en_closure *c = closure("/nix/store/" H1 "-a\n/nix/store/" H2 "-b\n");

    (void)state;
    assert_false(en_hoststore_has_closure(c, store));
    en_closure_free(c);
}

static void test_no_store(void **state)
{
    struct en_closure *c = closure("/nix/store/" H1 "-a\n");

    (void)state;
    assert_false(en_hoststore_has_closure(c, "/nonexistent-store"));
    en_closure_free(c);
}

static void test_switch(void **state)
{
    (void)state;
    unsetenv("SQUASHNIX_NO_HOST_STORE");
    assert_true(en_hoststore_allowed());
    setenv("SQUASHNIX_NO_HOST_STORE", "0", 1);
    assert_true(en_hoststore_allowed());
    setenv("SQUASHNIX_NO_HOST_STORE", "", 1);
    assert_true(en_hoststore_allowed());
    setenv("SQUASHNIX_NO_HOST_STORE", "1", 1);
    assert_false(en_hoststore_allowed());
    unsetenv("SQUASHNIX_NO_HOST_STORE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_all_present),
        cmocka_unit_test(test_one_missing),
        cmocka_unit_test(test_no_store),
        cmocka_unit_test(test_switch),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
