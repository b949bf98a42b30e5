/* The extraction cache: the first call extracts under $XDG_CACHE_HOME/squashnix/<key>, later calls
 * reuse that tree; racing processes end up with one complete tree; something planted under the
 * key (a symlink) and half-extracted temporaries are never used; a directory open to others is
 * refused with what to do. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"

static char dir[] = "/tmp/sn-cache-XXXXXX";
static char image[128];

static void run(const char *script)
{
    char cmd[2048];

    snprintf(cmd, sizeof(cmd), "set -e; cd %s; %s", dir, script);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    run("mkdir -p src/sub; echo hello >src/sub/f; printf '#!/bin/sh\\n' >src/AppRun;"
        " mksquashfs src img.sqfs -quiet -noappend -all-root >/dev/null;"
        " cat /proc/$PPID/exe img.sqfs >app.AppImage");
    snprintf(image, sizeof(image), "%s/app.AppImage", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    run("cd / && rm -rf \"$OLDPWD\"");
    return 0;
}

/* A fresh cache root for one test. */
static void use_cache(const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(setenv("XDG_CACHE_HOME", path, 1), 0);
}

static char *get(void)
{
    struct rt_image *img;
    struct rt_error err;
    char *appdir = NULL;

    assert_int_equal(rt_image_open(image, &img, &err), 0);
    if (rt_cache_get(img, &appdir, &err) < 0)
        fail_msg("rt_cache_get: %s", err.msg);
    rt_image_close(img);
    return appdir;
}

static void test_extract_then_reuse(void **state)
{
    char path[512], *a, *b;
    struct stat st;

    (void)state;
    use_cache("c1");
    a = get();
    snprintf(path, sizeof(path), "%s/sub/f", a);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 6);
    snprintf(path, sizeof(path), "%s/c1/squashnix", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    snprintf(path, sizeof(path), "%s/sub/f", a);
    assert_int_equal(unlink(path), 0); /* a reused tree is not extracted again */
    b = get();
    assert_string_equal(a, b);
    assert_int_equal(stat(path, &st), -1);
    free(a);
    free(b);
}

static void test_racing_processes(void **state)
{
    pid_t pids[8];
    int status;

    (void)state;
    use_cache("c2");
    for (int i = 0; i < 8; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            char *a = get();
            char path[512];
            struct stat st;

            snprintf(path, sizeof(path), "%s/sub/f", a);
            _exit(stat(path, &st) == 0 && st.st_size == 6 ? 0 : 1);
        }
    }
    for (int i = 0; i < 8; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    run("test $(find c2/squashnix -mindepth 1 -maxdepth 1 -type d | wc -l) = 1");
}

static void test_planted_and_half_extracted(void **state)
{
    char *a, *b, cmd[1024];

    (void)state;
    use_cache("c3");
    a = get();
    snprintf(cmd, sizeof(cmd),
             "k=$(basename %s); rm -rf c3/squashnix/$k; mkdir -p planted c3/squashnix/.tmp-$k-dead;"
             " ln -s %s/planted c3/squashnix/$k",
             a, dir);
    run(cmd);
    b = get();
    assert_string_equal(a, b);
    run("k=$(ls c3/squashnix | grep -v lock); test ! -L c3/squashnix/$k;"
        " test -f c3/squashnix/$k/sub/f; test -z \"$(ls -A planted)\";"
        " test -z \"$(find c3/squashnix -name '.tmp-*')\"");
    free(a);
    free(b);
}

static void test_open_to_others(void **state)
{
    struct rt_image *img;
    struct rt_error err;
    char *appdir = NULL;

    (void)state;
    use_cache("c4");
    run("mkdir -p c4/squashnix; chmod 0755 c4/squashnix");
    assert_int_equal(rt_image_open(image, &img, &err), 0);
    assert_int_equal(rt_cache_get(img, &appdir, &err), -1);
    assert_null(appdir);
    assert_non_null(strstr(err.msg, "chmod 700"));
    rt_image_close(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_extract_then_reuse),
        cmocka_unit_test(test_racing_processes),
        cmocka_unit_test(test_planted_and_half_extracted),
        cmocka_unit_test(test_open_to_others),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
