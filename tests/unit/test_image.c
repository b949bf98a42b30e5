/* The image tree's rules that need no store: --exclude matching below /nix/store, and the checks
 * on an AppDir. (Whole closure images are checked against the real Nix store by the integration
 * tests.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image.h"

#define P "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-foo-1.0"

static void test_exclude_globs(void **state)
{
    (void)state;
    const char *const pats[] = {"*.a", "*/include/*", "*-foo-1.0/share/doc"};
    assert_true(image_excluded(pats, 3, P "/lib/libfoo.a"));
    assert_true(image_excluded(pats, 3, P "/include/foo/bar.h"));
    assert_true(image_excluded(pats, 3, P "/share/doc"));
    assert_false(image_excluded(pats, 3, P "/share/doc2"));
    assert_false(image_excluded(pats, 3, P "/lib/libfoo.so"));
    assert_false(image_excluded(pats, 3, P "/include")); /* the directory itself: no '/' after */
    assert_false(image_excluded(pats, 0, P "/lib/libfoo.a"));
    /* Matched below /nix/store/: a pattern anchored at the store directory does not match. */
    const char *const abs[] = {"/nix/store/*"};
    assert_false(image_excluded(abs, 1, P "/bin/foo"));
}

static void test_appdir_checks(void **state)
{
    (void)state;
    char dir[] = "/tmp/sn-test-image.XXXXXX", cmd[256];
    struct sqw_tree *t;
    struct sn_error err = {0};
    assert_non_null(mkdtemp(dir));
    assert_int_equal(image_build_appdir(dir, &t, &err), -1);
    assert_non_null(strstr(err.msg, "no AppRun"));
    snprintf(cmd, sizeof(cmd), "printf '#!/bin/sh\\n' > %s/AppRun", dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(image_build_appdir(dir, &t, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    assert_non_null(strstr(err.msg, "AppRun is not an executable file"));
    snprintf(cmd, sizeof(cmd), "chmod 0755 %s/AppRun && mkdir %s/usr", dir, dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(image_build_appdir(dir, &t, &err), 0);
    sqw_tree_free(t);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exclude_globs),
        cmocka_unit_test(test_appdir_checks),
    };
    return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
