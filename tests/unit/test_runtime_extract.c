/* Extraction with the runtime's own squashfs reader, on images written by mksquashfs: contents,
 * permission bits (set-id bits dropped), symlinks, hard links, empty and read-only directories,
 * fnmatch patterns as type2-runtime matches them, and the names that are refused. */
#include <fcntl.h>
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

#include "extract.h"

struct fixture {
    char dir[64]; /* holds src/, img.sqfs and the extraction targets */
    int img_fd;
    struct rt_sqfs *fs;
};

/* Opens the image file fd holds (the whole file). */
static struct rt_sqfs *open_image(int fd)
{
    struct rt_sqfs *fs = NULL;
    struct rt_error err;
    off_t size = lseek(fd, 0, SEEK_END);

    assert_true(size > 0);
    if (rt_sqfs_open(fd, 0, (uint64_t)size, &fs, &err) < 0)
        fail_msg("rt_sqfs_open: %s", err.msg);
    return fs;
}

static void run(const char *cmd)
{
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    char cmd[1024];

    strcpy(f->dir, "/tmp/sn-extract-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(cmd, sizeof(cmd),
             "set -e; cd %s; mkdir -p src/a/b src/empty src/ro; echo content >src/a/b/file;"
             " chmod 0751 src/a/b/file; echo suid >src/suid; chmod 4755 src/suid;"
             " ln -s b/file src/a/rel; ln -s /etc/hostname src/abs; ln src/a/b/file src/hard;"
             " head -c 400000 /dev/urandom >src/a/big; echo x >src/ro/x; chmod 0555 src/ro;"
             " mksquashfs src img.sqfs -all-root -noappend -quiet -no-xattrs >/dev/null",
             f->dir);
    run(cmd);
    snprintf(cmd, sizeof(cmd), "%s/img.sqfs", f->dir);
    f->img_fd = open(cmd, O_RDONLY | O_CLOEXEC);
    assert_true(f->img_fd >= 0);
    f->fs = open_image(f->img_fd);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[256];

    rt_sqfs_close(f->fs);
    close(f->img_fd);
    snprintf(cmd, sizeof(cmd), "chmod -R u+w %s; rm -rf %s", f->dir, f->dir);
    run(cmd);
    free(f);
    return 0;
}

/* Extracts into <dir>/<name> (made here) with pattern; returns rt_extract's result. */
static int extract_to(struct fixture *f, const char *name, const char *pattern,
                      struct rt_error *err)
{
    char path[256];
    int fd, rc;

    snprintf(path, sizeof(path), "%s/%s", f->dir, name);
    assert_int_equal(mkdir(path, 0755), 0);
    fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    assert_true(fd >= 0);
    rc = rt_extract(f->fs, fd, pattern, err);
    close(fd);
    return rc;
}

static void test_whole_tree(void **state)
{
    struct fixture *f = *state;
    struct rt_error err;
    char cmd[512], link[64];
    struct stat st, st2;
    ssize_t n;

    assert_int_equal(extract_to(f, "all", NULL, &err), 0);
    snprintf(cmd, sizeof(cmd), "cd %s && diff -r --no-dereference src all", f->dir);
    run(cmd);
    snprintf(cmd, sizeof(cmd), "%s/all/a/b/file", f->dir);
    assert_int_equal(lstat(cmd, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0751);
    snprintf(cmd, sizeof(cmd), "%s/all/hard", f->dir);
    assert_int_equal(lstat(cmd, &st2), 0);
    assert_int_equal(st.st_ino, st2.st_ino);
    snprintf(cmd, sizeof(cmd), "%s/all/suid", f->dir);
    assert_int_equal(lstat(cmd, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0755);
    snprintf(cmd, sizeof(cmd), "%s/all/abs", f->dir);
    n = readlink(cmd, link, sizeof(link) - 1);
    assert_true(n > 0);
    link[n] = '\0';
    assert_string_equal(link, "/etc/hostname");
    snprintf(cmd, sizeof(cmd), "%s/all/ro", f->dir);
    assert_int_equal(lstat(cmd, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0555);
    snprintf(cmd, sizeof(cmd), "%s/all/empty", f->dir);
    assert_int_equal(lstat(cmd, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
}

static void test_pattern(void **state)
{
    struct fixture *f = *state;
    struct rt_error err;
    char cmd[512];

    assert_int_equal(extract_to(f, "pat", "a/b", &err), 0);
    snprintf(cmd, sizeof(cmd),
             "cd %s/pat && test \"$(find . -mindepth 1 | sort | tr '\\n' ' ')\" = "
             "'./a ./a/b ./a/b/file '",
             f->dir);
    run(cmd);
    assert_int_equal(extract_to(f, "star", "*", &err), 0); /* FNM_LEADING_DIR: everything */
    snprintf(cmd, sizeof(cmd), "cd %s && diff -r --no-dereference src star", f->dir);
    run(cmd);
}

/* An existing directory is entered, an existing file replaced, a symlink never followed. */
static void test_existing_target(void **state)
{
    struct fixture *f = *state;
    struct rt_error err;
    char cmd[512];

    snprintf(cmd, sizeof(cmd),
             "cd %s && mkdir -p pre/a outside && echo old >pre/abs && "
             "ln -s ../outside pre/empty",
             f->dir);
    run(cmd);
    snprintf(cmd, sizeof(cmd), "%s/pre", f->dir);
    {
        int fd = open(cmd, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(rt_extract(f->fs, fd, "abs", &err), 0);
        assert_int_equal(rt_extract(f->fs, fd, NULL, &err), -1);
        assert_non_null(strstr(err.msg, "empty"));
        close(fd);
    }
    snprintf(cmd, sizeof(cmd), "cd %s && test -L pre/abs && test -z \"$(ls -A outside)\"", f->dir);
    run(cmd);
}

/* An image whose directory table names an entry "..", and another "./.": made by mksquashfs with
 * uncompressed metadata, then patched, since no tool writes such names on purpose. */
static void test_hostile_names(void **state)
{
    static const char *const patches[] = {"s|QQ|..|", "s|Q1Q|./.|"};
    struct fixture *f = *state;
    struct rt_error err;
    char cmd[1024], path[256];
    struct rt_sqfs *fs;
    int fd, dir;

    for (size_t i = 0; i < 2; i++) {
        snprintf(cmd, sizeof(cmd),
                 "set -e; cd %s; rm -rf h hsrc; mkdir -p hsrc/d h; echo x >hsrc/d/QQ;"
                 " echo y >hsrc/d/Q1Q; mksquashfs hsrc h.sqfs -noI -noD -noF -noX -noappend"
                 " -quiet -all-root >/dev/null; perl -pi -e '%s' h.sqfs",
                 f->dir, patches[i]);
        run(cmd);
        snprintf(path, sizeof(path), "%s/h.sqfs", f->dir);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        fs = open_image(fd);
        snprintf(path, sizeof(path), "%s/h", f->dir);
        dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        assert_int_equal(rt_extract(fs, dir, NULL, &err), -1);
        assert_non_null(strstr(err.msg, i == 0 ? "unsafe name \"..\"" : "unsafe name \"./.\""));
        close(dir);
        rt_sqfs_close(fs);
        close(fd);
        snprintf(cmd, sizeof(cmd), "test ! -e %s/x && test ! -e %s/h/x", f->dir, f->dir);
        run(cmd); /* nothing written next to h/ */
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_true(rt_extract_name_ok("a"));
    assert_true(rt_extract_name_ok(".hidden"));
    assert_true(rt_extract_name_ok("..."));
    assert_false(rt_extract_name_ok(""));
    assert_false(rt_extract_name_ok("."));
    assert_false(rt_extract_name_ok(".."));
    assert_false(rt_extract_name_ok("a/b"));
    assert_false(rt_extract_name_ok("/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_whole_tree),      cmocka_unit_test(test_pattern),
        cmocka_unit_test(test_existing_target), cmocka_unit_test(test_hostile_names),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
