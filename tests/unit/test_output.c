/* The atomic output file: written beside the destination under a hidden temporary name, renamed
 * into place with its mode on commit, removed on abort with the destination untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "output.h"

static char dir[] = "/tmp/sn-test-output.XXXXXX";

static int count_entries(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
    closedir(d);
    return n;
}

static void read_back(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, len - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd);
}

static void test_commit_replaces_atomically(void **state)
{
    (void)state;
    char dest[256], buf[64];
    struct output *o;
    struct sn_error err = {0};
    struct stat st;
    snprintf(dest, sizeof(dest), "%s/app.AppImage", dir);
    FILE *f = fopen(dest, "w");
    fputs("old", f);
    fclose(f);

    assert_int_equal(output_open(dest, &o, &err), 0);
    assert_int_equal(write(output_fd(o), "new", 3), 3);
    assert_int_equal(count_entries(), 2); /* the destination and the hidden temporary file */
    read_back(dest, buf, sizeof(buf));
    assert_string_equal(buf, "old"); /* untouched until the commit */
    assert_int_equal(output_commit(o, 0755, &err), 0);
    read_back(dest, buf, sizeof(buf));
    assert_string_equal(buf, "new");
    assert_int_equal(stat(dest, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0755);
    assert_int_equal(count_entries(), 1);
}

static void test_abort_leaves_destination(void **state)
{
    (void)state;
    char dest[256], buf[64];
    struct output *o;
    struct sn_error err = {0};
    snprintf(dest, sizeof(dest), "%s/app.AppImage", dir);
    assert_int_equal(output_open(dest, &o, &err), 0);
    assert_int_equal(write(output_fd(o), "partial", 7), 7);
    output_abort(o);
    read_back(dest, buf, sizeof(buf));
    assert_string_equal(buf, "new");
    assert_int_equal(count_entries(), 1);
}

static void test_commit_failure_cleans_up(void **state)
{
    (void)state;
    char dest[256];
    struct output *o;
    struct sn_error err = {0};
    /* A directory in the way: rename fails, the temporary file goes. */
    snprintf(dest, sizeof(dest), "%s/adir", dir);
    assert_int_equal(mkdir(dest, 0755), 0);
    assert_int_equal(output_open(dest, &o, &err), 0);
    assert_int_equal(output_commit(o, 0755, &err), -1);
    assert_int_equal(err.kind, SN_ERR_SYSTEM);
    assert_non_null(strstr(err.msg, "renaming"));
    assert_int_equal(count_entries(), 2); /* app.AppImage and adir */
    assert_int_equal(rmdir(dest), 0);
}

/* A bundle and its release files are open together; each commits or aborts on its own. */
static void test_several_open(void **state)
{
    (void)state;
    char a[256], b[256], buf[64];
    struct output *oa, *ob, *more[OUTPUT_MAX];
    struct sn_error err = {0};
    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    assert_int_equal(output_open(a, &oa, &err), 0);
    assert_int_equal(output_open(b, &ob, &err), 0);
    assert_string_equal(output_dest(ob), b);
    assert_int_equal(write(output_fd(oa), "A", 1), 1);
    assert_int_equal(output_sync(oa, 0644, &err), 0);
    output_abort(ob);
    assert_int_equal(output_commit(oa, 0644, &err), 0);
    read_back(a, buf, sizeof(buf));
    assert_string_equal(buf, "A");
    assert_int_equal(access(b, F_OK), -1);
    /* At most OUTPUT_MAX at once. */
    for (int i = 0; i < OUTPUT_MAX; i++)
        assert_int_equal(output_open(b, &more[i], &err), 0);
    assert_int_equal(output_open(b, &ob, &err), -1);
    assert_non_null(strstr(err.msg, "outputs open at once"));
    for (int i = 0; i < OUTPUT_MAX; i++)
        output_abort(more[i]);
    assert_int_equal(unlink(a), 0);
    assert_int_equal(count_entries(), 1);
}

static void test_open_errors(void **state)
{
    (void)state;
    struct output *o;
    struct sn_error err = {0};
    assert_int_equal(output_open("/nonexistent-dir/x.AppImage", &o, &err), -1);
    assert_int_equal(err.kind, SN_ERR_SYSTEM);
    assert_non_null(strstr(err.msg, "beside /nonexistent-dir/x.AppImage"));
    assert_int_equal(output_open("somedir/", &o, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_replaces_atomically),
        cmocka_unit_test(test_abort_leaves_destination),
        cmocka_unit_test(test_commit_failure_cleans_up),
        cmocka_unit_test(test_several_open),
        cmocka_unit_test(test_open_errors),
    };
    return cmocka_run_group_tests_name("output", tests, setup, teardown);
}
