/* The entry's user namespace helpers: identity map lines, and the explanation printed when the
 * system refuses user namespaces, read from a fake /proc/sys. (Entering namespaces is tested by the
 * integration tests, against the real kernel.) */
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

#include "userns.h"

static void test_map_line(void **state)
{
    char out[32];

    (void)state;
    assert_int_equal(en_id_map_line(out, sizeof(out), 2345), 12);
    assert_string_equal(out, "2345 2345 1\n");
    assert_int_equal(en_id_map_line(out, sizeof(out), 4294967294ul), 24);
    assert_string_equal(out, "4294967294 4294967294 1\n");
    assert_int_equal(en_id_map_line(out, 12, 2345), -1);
}

static char proc_sys[64];

static void write_setting(const char *sub, const char *name, const char *value)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", proc_sys, sub);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/%s/%s", proc_sys, sub, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%s\n", value);
    fclose(f);
}

static int make_proc_sys(void **state)
{
    (void)state;
    snprintf(proc_sys, sizeof(proc_sys), "/tmp/sn-entry-unit.XXXXXX");
    return mkdtemp(proc_sys) == NULL ? -1 : 0;
}

static int remove_proc_sys(void **state)
{
    char cmd[128];

    (void)state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", proc_sys);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_help_names_refusing_settings(void **state)
{
    char help[4096];

    (void)state;
    write_setting("user", "max_user_namespaces", "0");
    write_setting("kernel", "apparmor_restrict_unprivileged_userns", "0");
    en_userns_denied_help(help, sizeof(help), proc_sys, "/nix/store");
    assert_non_null(strstr(help, "user.max_user_namespaces = 0, refuses"));
    assert_non_null(strstr(help, "kernel.apparmor_restrict_unprivileged_userns = 0 ("));
    /* A setting this kernel lacks is not listed. */
    assert_null(strstr(help, "unprivileged_userns_clone"));
    assert_non_null(strstr(help, "run the bundle as root"));
    assert_non_null(strstr(help, "--appimage-extract"));
    assert_non_null(strstr(help, "/nix/store"));
}

static void test_help_apparmor(void **state)
{
    char help[4096];

    (void)state;
    write_setting("user", "max_user_namespaces", "15000");
    write_setting("kernel", "apparmor_restrict_unprivileged_userns", "1");
    en_userns_denied_help(help, sizeof(help), proc_sys, "/nix/store");
    assert_non_null(strstr(help, "kernel.apparmor_restrict_unprivileged_userns = 1, refuses"));
    assert_non_null(strstr(help, "user.max_user_namespaces = 15000 ("));
}

static void test_help_truncates_safely(void **state)
{
    char help[40];

    (void)state;
    en_userns_denied_help(help, sizeof(help), proc_sys, "/nix/store");
    assert_int_equal(strlen(help), sizeof(help) - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_line),
        cmocka_unit_test(test_help_names_refusing_settings),
        cmocka_unit_test(test_help_apparmor),
        cmocka_unit_test(test_help_truncates_safely),
    };
    return cmocka_run_group_tests(tests, make_proc_sys, remove_proc_sys);
}
