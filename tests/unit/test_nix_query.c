/* The Nix query: version detection from `nix --version` texts, and the errors a user meets, with
 * the real local Nix (a path that is not valid) and without Nix in PATH. The successful query of
 * a real closure is tests/integration/test_closure_nix.sh (it needs the fixture built). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nix_query.h"

static void test_wants_json_format(void **state)
{
    (void)state;
    assert_int_equal(nix_wants_json_format("nix (Nix) 2.8.0\n"), 0);
    assert_int_equal(nix_wants_json_format("nix (Nix) 2.18.9"), 0);
    assert_int_equal(nix_wants_json_format("nix (Nix) 2.32.4\n"), 0);
    assert_int_equal(nix_wants_json_format("nix (Nix) 2.33.0\n"), 1);
    assert_int_equal(nix_wants_json_format("nix (Nix) 2.34.0pre20260101_0123abc\n"), 1);
    assert_int_equal(nix_wants_json_format("nix (Nix) 3.0.1\n"), 1);
    /* Lix numbers itself 2.9x and has no --json-format. */
    assert_int_equal(nix_wants_json_format("nix (Lix, like Nix) 2.93.0\n"), 0);
    /* Determinate Nix puts its own version first; Nix's is the last word. */
    assert_int_equal(nix_wants_json_format("nix (Determinate Nix 3.8.2) 2.30.1\n"), 0);
    assert_int_equal(nix_wants_json_format("nix (Determinate Nix 3.11.0) 2.33.1\n"), 1);
    assert_int_equal(nix_wants_json_format("nix"), -1);
    assert_int_equal(nix_wants_json_format(""), -1);
    assert_int_equal(nix_wants_json_format("nix (Nix) unknown\n"), -1);
}

static void test_path_not_valid(void **state)
{
    const char *paths[] = {"/nix/store/00000000000000000000000000000000-squashnix-absent"};
    struct sn_error err = {0};
    char *json = (char *)&err;
    size_t len = 7;

    (void)state;
    /* Offline, so that Nix does not retry the binary cache for seconds first. */
    assert_int_equal(setenv("NIX_CONFIG", "substituters =", 1), 0);
    assert_int_equal(nix_path_info(paths, 1, &json, &len, &err), -1);
    assert_null(json);
    assert_int_equal(len, 0);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    if (!strstr(err.msg, "nix path-info failed (exit status 1)") ||
        !strstr(err.msg, "error: path '" /* nix's own words */ "/nix/store/0000000000000000000000"
                         "0000000000-squashnix-absent' is not valid") ||
        !strstr(err.msg, "nix-store --realise"))
        fail_msg("unexpected message: %s", err.msg);
    unsetenv("NIX_CONFIG");
}

static void test_nix_missing(void **state)
{
    const char *paths[] = {"/nix/store/00000000000000000000000000000000-x"};
    struct sn_error err = {0};
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    char *json = NULL;
    size_t len;

    (void)state;
    assert_int_equal(setenv("PATH", "/nonexistent-squashnix-test", 1), 0);
    assert_int_equal(nix_path_info(paths, 1, &json, &len, &err), -1);
    if (old)
        setenv("PATH", old, 1);
    free(old);
    assert_null(json);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    assert_non_null(strstr(err.msg, "nix not found in PATH"));
    assert_non_null(strstr(err.msg, "install Nix, or pass --closure FILE"));
}

static void test_no_paths(void **state)
{
    struct sn_error err = {0};
    char *json = NULL;
    size_t len;

    (void)state;
    assert_int_equal(nix_path_info(NULL, 0, &json, &len, &err), -1);
    assert_null(json);
    assert_non_null(strstr(err.msg, "no store path given"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wants_json_format),
        cmocka_unit_test(test_path_not_valid),
        cmocka_unit_test(test_nix_missing),
        cmocka_unit_test(test_no_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
