/* Choosing the program: the default bin/<name>, the only executable, --program relative and
 * absolute, the errors listing the candidates; names split as Nix does; interpreters of real ELF
 * executables and scripts. */
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

#include "program.h"

#define HASH "0123456789abcdfghijklmnpqrsvwxyz"

static char dir[] = "/tmp/sn-test-program.XXXXXX";

static void make_file(const char *rel, mode_t mode, const char *content)
{
    char path[512], cmd[600];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    assert_int_equal(chmod(path, mode), 0);
}

static const char *top(const char *name)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/" HASH "-%s", dir, name);
    return path;
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    make_file(HASH "-hello-2.12/bin/hello", 0755, "#!/bin/sh\n");
    make_file(HASH "-hello-2.12/bin/hello-helper", 0755, "#!/bin/sh\n");
    make_file(HASH "-tool-1.0/bin/only", 0755, "#!/bin/sh\n");
    make_file(HASH "-tool-1.0/bin/README", 0644, "not executable\n");
    make_file(HASH "-multi-3/bin/a", 0755, "x");
    make_file(HASH "-multi-3/bin/b", 0755, "x");
    make_file(HASH "-lib-1/lib/libx.so", 0644, "x");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd);
}

static void test_split_name(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"hello-2.12", "hello", "2.12"},
        {"demo-hello-1.0", "demo-hello", "1.0"},
        {"python3-3.11.2", "python3", "3.11.2"},
        {"bpftrace-0.20.1-man", "bpftrace", "0.20.1-man"},
        {"hello", "hello", ""},
        {"gtk+3-3.24", "gtk+3", "3.24"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char name[64], version[64];
        program_split_name(cases[i][0], name, version);
        assert_string_equal(name, cases[i][1]);
        assert_string_equal(version, cases[i][2]);
    }
}

static void test_default_program(void **state)
{
    (void)state;
    struct sn_error err = {0};
    char *p;
    char want[600];
    assert_int_equal(program_choose(top("hello-2.12"), NULL, &p, &err), 0);
    snprintf(want, sizeof(want), "%s/bin/hello", top("hello-2.12"));
    assert_string_equal(p, want);
    free(p);
    /* No bin/tool: the only executable (README is not one). */
    assert_int_equal(program_choose(top("tool-1.0"), NULL, &p, &err), 0);
    snprintf(want, sizeof(want), "%s/bin/only", top("tool-1.0"));
    assert_string_equal(p, want);
    free(p);
}

static void test_default_errors_list_candidates(void **state)
{
    (void)state;
    struct sn_error err = {0};
    char *p;
    assert_int_equal(program_choose(top("multi-3"), NULL, &p, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    assert_non_null(strstr(err.msg, "no bin/multi and 2 executables in bin/ (a, b)"));
    assert_non_null(strstr(err.msg, "--program"));
    assert_int_equal(program_choose(top("lib-1"), NULL, &p, &err), -1);
    assert_non_null(strstr(err.msg, "no executable in bin/"));
}

static void test_requested_program(void **state)
{
    (void)state;
    struct sn_error err = {0};
    char *p;
    char want[600];
    assert_int_equal(program_choose(top("hello-2.12"), "bin/hello-helper", &p, &err), 0);
    snprintf(want, sizeof(want), "%s/bin/hello-helper", top("hello-2.12"));
    assert_string_equal(p, want);
    free(p);
    assert_int_equal(program_choose(top("tool-1.0"), "bin/README", &p, &err), -1);
    assert_non_null(strstr(err.msg, "not an executable file"));
    assert_int_equal(program_choose(top("tool-1.0"), "bin/missing", &p, &err), -1);
    assert_int_equal(program_choose(top("tool-1.0"), "../" HASH "-hello-2.12/bin/hello", &p, &err),
                     -1);
    assert_non_null(strstr(err.msg, "'..'"));
    assert_int_equal(program_choose(top("tool-1.0"), "/usr/bin/env", &p, &err), -1);
    assert_non_null(strstr(err.msg, "must lie in /nix/store"));
}

static void test_store_path(void **state)
{
    (void)state;
    char buf[256];
    assert_int_equal(program_store_path("/nix/store/" HASH "-a-1/bin/a", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "/nix/store/" HASH "-a-1");
    assert_int_equal(program_store_path("/nix/store/" HASH "-a-1", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "/nix/store/" HASH "-a-1");
    assert_int_equal(program_store_path("/nix/store/", buf, sizeof(buf)), -1);
    assert_int_equal(program_store_path("/usr/bin/a", buf, sizeof(buf)), -1);
    assert_int_equal(program_store_path("/nix/storex/a", buf, sizeof(buf)), -1);
}

static void test_interpreters(void **state)
{
    (void)state;
    struct sn_error err = {0};
    char *interp, path[600];
    /* A dynamically linked executable of this system. */
    assert_int_equal(program_interpreter("/usr/bin/env", &interp, &err), 0);
    assert_non_null(interp);
    assert_non_null(strstr(interp, "ld-linux"));
    free(interp);
    /* A static executable has none. */
    assert_int_equal(program_interpreter("/bin/busybox", &interp, &err), 0);
    assert_null(interp);
    /* A script: its #! interpreter. */
    snprintf(path, sizeof(path), "%s/script", dir);
    make_file("script", 0755, "#! /nix/store/" HASH "-bash/bin/bash -e\necho\n");
    assert_int_equal(program_interpreter(path, &interp, &err), 0);
    assert_string_equal(interp, "/nix/store/" HASH "-bash/bin/bash");
    free(interp);
    assert_int_equal(program_interpreter("/nonexistent/x", &interp, &err), -1);
    assert_int_equal(err.kind, SN_ERR_SYSTEM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_name),
        cmocka_unit_test(test_default_program),
        cmocka_unit_test(test_default_errors_list_candidates),
        cmocka_unit_test(test_requested_program),
        cmocka_unit_test(test_store_path),
        cmocka_unit_test(test_interpreters),
    };
    return cmocka_run_group_tests_name("program", tests, setup, teardown);
}
