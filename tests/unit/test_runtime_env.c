/* The environment contract: which file is the AppImage ($TARGET_APPIMAGE or this executable), the
 * variables set for the program, and the portable home/config directories. */
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

#include "env.h"

static char dir[] = "/tmp/sn-env-XXXXXX";

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
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void test_appimage_path(void **state)
{
    struct rt_error err;
    char *p, exe[PATH_MAX], rel[PATH_MAX + 16], cwd[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    (void)state;
    assert_true(n > 0);
    exe[n] = '\0';
    unsetenv("TARGET_APPIMAGE");
    assert_int_equal(rt_appimage_path(&p, &err), 0);
    assert_string_equal(p, exe);
    free(p);
    setenv("TARGET_APPIMAGE", "", 1); /* empty: as if unset */
    assert_int_equal(rt_appimage_path(&p, &err), 0);
    assert_string_equal(p, exe);
    free(p);
    /* A relative TARGET_APPIMAGE becomes absolute. */
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    snprintf(rel, sizeof(rel), "%s/x.AppImage", dir);
    fclose(fopen(rel, "w"));
    setenv("TARGET_APPIMAGE", "./x.AppImage", 1);
    assert_int_equal(rt_appimage_path(&p, &err), 0);
    assert_string_equal(p, rel);
    free(p);
    setenv("TARGET_APPIMAGE", "./missing.AppImage", 1);
    assert_int_equal(rt_appimage_path(&p, &err), -1);
    assert_non_null(strstr(err.msg, "TARGET_APPIMAGE=./missing.AppImage"));
    assert_int_equal(chdir(cwd), 0);
    unsetenv("TARGET_APPIMAGE");
}

static void test_program_environment(void **state)
{
    struct rt_error err;
    char app[PATH_MAX], cwd[PATH_MAX];

    (void)state;
    snprintf(app, sizeof(app), "%s/A.AppImage", dir);
    setenv("HOME", "/home/someone", 1);
    unsetenv("XDG_CONFIG_HOME");
    assert_int_equal(rt_env_for_program(app, "/tmp/.mount_A.AppIxyz", "./A.AppImage", &err), 0);
    assert_string_equal(getenv("APPIMAGE"), app);
    assert_string_equal(getenv("APPDIR"), "/tmp/.mount_A.AppIxyz");
    assert_string_equal(getenv("ARGV0"), "./A.AppImage");
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_string_equal(getenv("OWD"), cwd);
    assert_string_equal(getenv("HOME"), "/home/someone"); /* no portable home yet */
    assert_null(getenv("XDG_CONFIG_HOME"));
}

static void test_portable_dirs(void **state)
{
    struct rt_error err;
    char app[PATH_MAX], expect[PATH_MAX + 8], *made;

    (void)state;
    snprintf(app, sizeof(app), "%s/P.AppImage", dir);
    assert_int_equal(rt_portable_create(app, ".home", &made, &err), 0);
    snprintf(expect, sizeof(expect), "%s.home", app);
    assert_string_equal(made, expect);
    free(made);
    assert_int_equal(rt_portable_create(app, ".home", &made, &err), 0); /* again: fine */
    free(made);
    assert_int_equal(rt_portable_create(app, ".config", &made, &err), 0);
    free(made);
    assert_int_equal(rt_env_for_program(app, "/x", "P", &err), 0);
    assert_string_equal(getenv("HOME"), expect);
    snprintf(expect, sizeof(expect), "%s.config", app);
    assert_string_equal(getenv("XDG_CONFIG_HOME"), expect);
    /* A file in the way is reported, not replaced. */
    snprintf(app, sizeof(app), "%s/F.AppImage", dir);
    snprintf(expect, sizeof(expect), "%s.home", app);
    fclose(fopen(expect, "w"));
    assert_int_equal(rt_portable_create(app, ".home", &made, &err), -1);
    assert_non_null(strstr(err.msg, "not a directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appimage_path),
        cmocka_unit_test(test_program_environment),
        cmocka_unit_test(test_portable_dirs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
