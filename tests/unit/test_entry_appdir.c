/* The entry's closure list and entrypoint reader: well-formed lists, each kind of malformed line,
 * the store directory taken from the list, and the entrypoint symlink's checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "appdir.h"

#define H1 "0123456789abcdfghijklmnpqrsvwxyz"
#define H2 "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"

static struct en_closure *parse(const char *text, struct en_err *err)
{
    return en_closure_parse(text, strlen(text), "closure", err);
}

static void test_parse_two_paths(void **state)
{
    struct en_err err = {0};
    struct en_closure *c;

    (void)state;
    c = parse("/nix/store/" H1 "-glibc-2.40\n/nix/store/" H2 "-hello-2.12\n", &err);
    assert_non_null(c);
    assert_int_equal(en_closure_count(c), 2);
    assert_string_equal(en_closure_path(c, 0), "/nix/store/" H1 "-glibc-2.40");
    assert_string_equal(en_closure_path(c, 1), "/nix/store/" H2 "-hello-2.12");
    assert_null(en_closure_path(c, 2));
    assert_string_equal(en_closure_store_dir(c), "/nix/store");
    en_closure_free(c);
}

static void test_parse_other_store_dir(void **state)
{
    struct en_err err = {0};
    struct en_closure *c;

    (void)state;
    c = parse("/opt/nix/store/" H1 "-a\n", &err);
    assert_non_null(c);
    assert_string_equal(en_closure_store_dir(c), "/opt/nix/store");
    en_closure_free(c);
}

static void expect_rejected(const char *text, const char *needle)
{
    struct en_err err = {0};
    struct en_closure *c = parse(text, &err);

    assert_null(c);
    if (strstr(err.msg, needle) == NULL)
        fail_msg("message [%s] lacks [%s]", err.msg, needle);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    expect_rejected("", "empty");
    expect_rejected("/nix/store/" H1 "-a", "newline");
    expect_rejected("/nix/store/" H1 "-a\n\n", "line 2");
    expect_rejected("/nix/store/" H1 "-a\n/nix/store/short-b\n", "line 2");
    expect_rejected("/nix/store/" H1 "-a\n/other/store/" H2 "-b\n", "line 2");
    expect_rejected("/nix/store/" H1 "-a\n/nix/store/" H2 "-b/sub\n", "line 2");
    expect_rejected("/nix/store/" H1 "-\n", "line 1");
    expect_rejected("/nix/store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-a\n", "line 1");
    expect_rejected("store/" H1 "-a\n", "line 1");
    expect_rejected("/" H1 "-a\n", "line 1");
    expect_rejected("/nix/../store/" H1 "-a\n", "line 1");
    expect_rejected("/nix//store/" H1 "-a\n", "line 1");
}

static void test_parse_rejects_nul(void **state)
{
    static const char text[] = "/nix/store/" H1 "-a\0b\n";
    struct en_err err = {0};

    (void)state;
    assert_null(en_closure_parse(text, sizeof(text) - 1, "closure", &err));
    assert_non_null(strstr(err.msg, "NUL"));
}

static void test_store_dir_valid(void **state)
{
    (void)state;
    assert_true(en_store_dir_valid("/nix/store"));
    assert_true(en_store_dir_valid("/a/b/store"));
    assert_false(en_store_dir_valid("/nix"));
    assert_false(en_store_dir_valid("/nix/store/"));
    assert_false(en_store_dir_valid("nix/store"));
    assert_false(en_store_dir_valid("/nix/./store"));
    assert_false(en_store_dir_valid("/nix/../store"));
    assert_false(en_store_dir_valid(""));
}

/* Makes a directory holding an entrypoint symlink to TARGET; returns its path (static buffer). */
static const char *appdir_with_entrypoint(const char *target)
{
    static char dir[64];
    char link[128];

    snprintf(dir, sizeof(dir), "/tmp/sn-entry-unit.XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(link, sizeof(link), "%s/entrypoint", dir);
    assert_int_equal(symlink(target, link), 0);
    return dir;
}

static void remove_appdir(const char *dir)
{
    char link[128];

    snprintf(link, sizeof(link), "%s/entrypoint", dir);
    unlink(link);
    rmdir(dir);
}

static int read_entrypoint(const char *target, char *out, size_t size, struct en_err *err)
{
    const char *dir = appdir_with_entrypoint(target);
    int rc = en_entrypoint_read(dir, "/nix/store", out, size, err);

    remove_appdir(dir);
    return rc;
}

static void test_entrypoint(void **state)
{
    struct en_err err = {0};
    char out[256];

    (void)state;
    assert_int_equal(read_entrypoint("/nix/store/" H1 "-hello/bin/hello", out, sizeof(out), &err),
                     0);
    assert_string_equal(out, "/nix/store/" H1 "-hello/bin/hello");
    assert_int_equal(read_entrypoint("/usr/bin/id", out, sizeof(out), &err), -1);
    assert_non_null(strstr(err.msg, "not under /nix/store"));
    assert_int_equal(read_entrypoint("/nix/store/" H1 "-x/../../../bin/sh", out, sizeof(out), &err),
                     -1);
    assert_int_equal(read_entrypoint("/nix/store/" H1 "-x/..", out, sizeof(out), &err), -1);
    assert_int_equal(read_entrypoint("/nix/store/bad/bin/sh", out, sizeof(out), &err), -1);
    assert_int_equal(read_entrypoint("/nix/storeX/" H1 "-x", out, sizeof(out), &err), -1);
    assert_int_equal(read_entrypoint("/nix/store/" H1 "-hello/bin/hello", out, 20, &err), -1);
    assert_non_null(strstr(err.msg, "longer"));
}

static void test_entrypoint_missing(void **state)
{
    struct en_err err = {0};
    char out[256];

    (void)state;
    assert_int_equal(
        en_entrypoint_read("/nonexistent-appdir", "/nix/store", out, sizeof(out), &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent-appdir/entrypoint"));
}

static void test_closure_read_missing(void **state)
{
    struct en_err err = {0};

    (void)state;
    assert_null(en_closure_read("/nonexistent-appdir", &err));
    assert_non_null(strstr(err.msg, "/nonexistent-appdir/.squashnix/closure"));
}

/* Without APPDIR, and with an APPDIR whose AppRun is not this executable, the directory of
 * /proc/self/exe; with an APPDIR whose AppRun is this executable (a symlink to it here), APPDIR. */
static void test_appdir_find(void **state)
{
    char exe[256], exedir[256], appdir[64], link[128], out[256];
    struct en_err err = {0};
    ssize_t n;

    (void)state;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    snprintf(exedir, sizeof(exedir), "%.*s", (int)(strrchr(exe, '/') - exe), exe);

    unsetenv("APPDIR");
    assert_int_equal(en_appdir_find(out, sizeof(out), &err), 0);
    assert_string_equal(out, exedir);

    snprintf(appdir, sizeof(appdir), "/tmp/sn-entry-unit.XXXXXX");
    assert_non_null(mkdtemp(appdir));
    setenv("APPDIR", appdir, 1);
    assert_int_equal(en_appdir_find(out, sizeof(out), &err), 0);
    assert_string_equal(out, exedir);

    snprintf(link, sizeof(link), "%s/AppRun", appdir);
    assert_int_equal(symlink(exe, link), 0);
    assert_int_equal(en_appdir_find(out, sizeof(out), &err), 0);
    assert_string_equal(out, appdir);

    setenv("APPDIR", appdir + 1, 1); /* relative: ignored */
    assert_int_equal(en_appdir_find(out, sizeof(out), &err), 0);
    assert_string_equal(out, exedir);

    unsetenv("APPDIR");
    unlink(link);
    rmdir(appdir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_two_paths),    cmocka_unit_test(test_parse_other_store_dir),
        cmocka_unit_test(test_parse_rejects),      cmocka_unit_test(test_parse_rejects_nul),
        cmocka_unit_test(test_store_dir_valid),    cmocka_unit_test(test_entrypoint),
        cmocka_unit_test(test_entrypoint_missing), cmocka_unit_test(test_closure_read_missing),
        cmocka_unit_test(test_appdir_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
