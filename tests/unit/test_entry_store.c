/* The entry's store helpers: overlayfs option escaping and the store directory's top component. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store.h"

static void test_escape_plain(void **state)
{
    char out[64];

    (void)state;
    assert_int_equal(en_overlay_escape("/tmp/.mount_abc/nix/store", out, sizeof(out)), 25);
    assert_string_equal(out, "/tmp/.mount_abc/nix/store");
}

static void test_escape_separators(void **state)
{
    char out[64];

    (void)state;
    /* ':' separates layers and ',' options: a path holding them must not split the option. */
    assert_int_equal(en_overlay_escape("/a:b,c\\d", out, sizeof(out)), 11);
    assert_string_equal(out, "/a\\:b\\,c\\\\d");
}

static void test_escape_too_long(void **state)
{
    char out[6];

    (void)state;
    assert_int_equal(en_overlay_escape("/abcde", out, sizeof(out)), -1);
    assert_int_equal(en_overlay_escape("/a:bc", out, sizeof(out)), -1);
    assert_int_equal(en_overlay_escape("/abcd", out, sizeof(out)), 5);
}

static void test_store_top(void **state)
{
    char out[8];

    (void)state;
    assert_int_equal(en_store_top("/nix/store", out, sizeof(out)), 0);
    assert_string_equal(out, "nix");
    assert_int_equal(en_store_top("/gnu/store/x", out, sizeof(out)), 0);
    assert_string_equal(out, "gnu");
    assert_int_equal(en_store_top("/verylongname/store", out, sizeof(out)), -1);
    assert_int_equal(en_store_top("nix/store", out, sizeof(out)), -1);
    assert_int_equal(en_store_top("//store", out, sizeof(out)), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_plain),
        cmocka_unit_test(test_escape_separators),
        cmocka_unit_test(test_escape_too_long),
        cmocka_unit_test(test_store_top),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
