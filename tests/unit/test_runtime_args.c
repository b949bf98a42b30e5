/* The runtime's command line: only argv[1] selects an --appimage-* action; everything else goes to
 * the program untouched; unknown options and extra arguments are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

static int parse(int argc, char **argv, struct rt_options *o)
{
    struct rt_error err;

    return rt_options_parse(argc, argv, o, &err);
}

static void test_no_option_runs_with_all_arguments(void **state)
{
    char *argv[] = {"app", "--appimage-nothing-here?", "x", NULL};
    char *plain[] = {"app", "a", "--appimage-offset", NULL};
    struct rt_options o;

    (void)state;
    assert_int_equal(parse(3, plain, &o), 0);
    assert_int_equal(o.action, RT_RUN);
    assert_int_equal(o.prog_argc, 2);
    assert_string_equal(o.prog_argv[0], "a");
    assert_string_equal(o.prog_argv[1], "--appimage-offset");
    assert_int_equal(parse(3, argv, &o), -1);
}

static void test_no_arguments(void **state)
{
    char *argv[] = {"app", NULL};
    struct rt_options o;

    (void)state;
    assert_int_equal(parse(1, argv, &o), 0);
    assert_int_equal(o.action, RT_RUN);
    assert_int_equal(o.prog_argc, 0);
}

static void test_each_option(void **state)
{
    static const struct {
        const char *arg;
        enum rt_action action;
    } cases[] = {
        {"--appimage-extract", RT_EXTRACT},
        {"--appimage-extract-and-run", RT_EXTRACT_AND_RUN},
        {"--appimage-mount", RT_MOUNT},
        {"--appimage-offset", RT_OFFSET},
        {"--appimage-help", RT_HELP},
        {"--appimage-version", RT_VERSION},
        {"--appimage-updateinfo", RT_UPDATEINFO},
        {"--appimage-signature", RT_SIGNATURE},
        {"--appimage-portable-home", RT_PORTABLE_HOME},
        {"--appimage-portable-config", RT_PORTABLE_CONFIG},
    };
    struct rt_options o;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *argv[] = {"app", (char *)cases[i].arg, NULL};
        assert_int_equal(parse(2, argv, &o), 0);
        assert_int_equal(o.action, cases[i].action);
        assert_int_equal(o.prog_argc, 0);
    }
}

static void test_extract_pattern(void **state)
{
    char *argv[] = {"app", "--appimage-extract", "usr/bin/*", "more", NULL};
    struct rt_options o;

    (void)state;
    assert_int_equal(parse(3, argv, &o), 0);
    assert_int_equal(o.action, RT_EXTRACT);
    assert_string_equal(o.pattern, "usr/bin/*");
    assert_int_equal(parse(4, argv, &o), -1);
}

static void test_extract_and_run_passes_the_rest(void **state)
{
    char *argv[] = {"app", "--appimage-extract-and-run", "--appimage-mount", "x", NULL};
    struct rt_options o;

    (void)state;
    assert_int_equal(parse(4, argv, &o), 0);
    assert_int_equal(o.action, RT_EXTRACT_AND_RUN);
    assert_int_equal(o.prog_argc, 2);
    assert_string_equal(o.prog_argv[0], "--appimage-mount");
}

static void test_unknown_and_extra(void **state)
{
    char *unknown[] = {"app", "--appimage-bogus", NULL};
    char *extra[] = {"app", "--appimage-offset", "x", NULL};
    struct rt_options o;
    struct rt_error err;

    (void)state;
    assert_int_equal(rt_options_parse(2, unknown, &o, &err), -1);
    assert_non_null(strstr(err.msg, "--appimage-bogus"));
    assert_int_equal(rt_options_parse(3, extra, &o, &err), -1);
    assert_non_null(strstr(err.msg, "--appimage-offset"));
}

static void test_env_flag(void **state)
{
    (void)state;
    unsetenv("SN_TEST_FLAG");
    assert_false(rt_env_flag("SN_TEST_FLAG"));
    setenv("SN_TEST_FLAG", "", 1);
    assert_false(rt_env_flag("SN_TEST_FLAG"));
    setenv("SN_TEST_FLAG", "0", 1);
    assert_false(rt_env_flag("SN_TEST_FLAG"));
    setenv("SN_TEST_FLAG", "1", 1);
    assert_true(rt_env_flag("SN_TEST_FLAG"));
    unsetenv("SN_TEST_FLAG");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_option_runs_with_all_arguments),
        cmocka_unit_test(test_no_arguments),
        cmocka_unit_test(test_each_option),
        cmocka_unit_test(test_extract_pattern),
        cmocka_unit_test(test_extract_and_run_passes_the_rest),
        cmocka_unit_test(test_unknown_and_extra),
        cmocka_unit_test(test_env_flag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
