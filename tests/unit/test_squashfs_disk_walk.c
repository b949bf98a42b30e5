/* The disk walk (libarchive's disk reader): host trees become image tree entries at a destination;
 * hardlinks become one file; symlinks are never followed, also at the top; the exclude callback
 * leaves out files and whole directories and counts their bytes; a fifo, socket or device is an
 * error naming its path (and a fifo is never opened, so the walk cannot block on it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "tree.h"

static char base[64];

static void put(const char *rel, const char *data)
{
    char p[256];
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(data, f);
    fclose(f);
}

static void dir(const char *rel)
{
    char p[256];
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static const char *at(const char *rel)
{
    static char p[256];
    snprintf(p, sizeof(p), "%s/%s", base, rel);
    return p;
}

static int setup(void **state)
{
    (void)state;
    snprintf(base, sizeof(base), "/tmp/sqw-walk-XXXXXX");
    assert_non_null(mkdtemp(base));
    dir("src");
    dir("src/sub");
    dir("src/skip");
    put("src/sub/f", "content\n");
    put("src/skip/g", "skipped\n");
    put("src/lib.a", "0123456789");
    char a[256], b[256];
    snprintf(a, sizeof(a), "%s", at("src/sub/f"));
    snprintf(b, sizeof(b), "%s", at("src/hard"));
    assert_int_equal(link(a, b), 0);
    assert_int_equal(symlink("sub", at("src/to-sub")), 0);
    assert_int_equal(symlink("src", at("top-link")), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    return system(cmd);
}

/* The node at image PATH ("" for the root), or NULL. */
static struct sqw_node *find(struct sqw_tree *t, const char *path)
{
    struct sqw_node *n = sqw_tree_root(t);
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *save, *c = strtok_r(buf, "/", &save); c && n; c = strtok_r(NULL, "/", &save)) {
        struct sqw_node *next = NULL;
        for (size_t i = 0; i < n->n_children; i++)
            if (strcmp(n->children[i]->name, c) == 0)
                next = n->children[i];
        n = next;
    }
    return n;
}

static int exclude(void *ctx, const char *path, int is_dir)
{
    int *calls = ctx;
    (*calls)++;
    size_t len = strlen(path);
    if (is_dir && strcmp(path, "/nix/store/x/skip") == 0)
        return 1;
    return len > 2 && strcmp(path + len - 2, ".a") == 0;
}

static void test_walk(void **state)
{
    (void)state;
    struct sn_error err;
    struct sqw_tree *t = sqw_tree_new();
    int calls = 0;
    assert_int_equal(sqw_tree_add_host(t, "nix/store/x", at("src"), exclude, &calls, &err), 0);
    assert_non_null(find(t, "nix/store/x/sub"));
    struct sqw_node *f = find(t, "nix/store/x/sub/f"), *h = find(t, "nix/store/x/hard");
    assert_non_null(f);
    assert_non_null(h);
    assert_ptr_equal(f->file, h->file); /* one inode */
    assert_int_equal(f->file->nlink, 2);
    assert_int_equal(f->file->size, 8);
    struct sqw_node *l = find(t, "nix/store/x/to-sub");
    assert_int_equal(l->type, SQW_NODE_SYMLINK);
    assert_string_equal(l->target, "sub");
    assert_null(find(t, "nix/store/x/skip"));
    assert_null(find(t, "nix/store/x/lib.a"));
    assert_int_equal(sqw_tree_excluded_bytes(t), 10);
    assert_true(find(t, "nix")->implicit);
    assert_false(find(t, "nix/store/x")->implicit);
    assert_int_equal(calls, 7); /* x, sub, sub/f, skip (not its inside), lib.a, hard, to-sub */
    /* Twice at the same place is refused. */
    assert_int_equal(sqw_tree_add_host(t, "nix/store/x", at("src"), NULL, NULL, &err), -1);
    sqw_tree_free(t);
}

static void test_top_symlink_not_followed(void **state)
{
    (void)state;
    struct sn_error err;
    struct sqw_tree *t = sqw_tree_new();
    assert_int_equal(sqw_tree_add_host(t, "entry", at("top-link"), NULL, NULL, &err), 0);
    struct sqw_node *n = find(t, "entry");
    assert_int_equal(n->type, SQW_NODE_SYMLINK);
    assert_string_equal(n->target, "src");
    assert_int_equal(n->n_children, 0);
    sqw_tree_free(t);
}

static void check_refused(const char *rel, const char *what)
{
    struct sn_error err;
    struct sqw_tree *t = sqw_tree_new();
    assert_int_equal(sqw_tree_add_host(t, "", at(rel), NULL, NULL, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    assert_non_null(strstr(err.msg, base));
    assert_non_null(strstr(err.msg, what));
    sqw_tree_free(t);
}

static void test_special_files_refused(void **state)
{
    (void)state;
    dir("bad");
    dir("bad/d");
    assert_int_equal(mkfifo(at("bad/d/pipe"), 0644), 0);
    check_refused("bad", "pipe is a named pipe (fifo)");
    assert_int_equal(unlink(at("bad/d/pipe")), 0);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    const char *path = at("bad/d/sock");
    assert_true(strlen(path) < sizeof(sa.sun_path));
    memcpy(sa.sun_path, path, strlen(path) + 1);
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
    close(s);
    check_refused("bad", "sock is a socket");
}

static void test_missing_source(void **state)
{
    (void)state;
    struct sn_error err;
    struct sqw_tree *t = sqw_tree_new();
    assert_int_equal(sqw_tree_add_host(t, "x", at("nothing-here"), NULL, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "nothing-here"));
    sqw_tree_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_top_symlink_not_followed),
        cmocka_unit_test(test_special_files_refused),
        cmocka_unit_test(test_missing_source),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
