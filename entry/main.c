/* The entry, /AppRun in a bundle: makes the bundle's store appear at /nix/store in a private mount
 * namespace and executes /entrypoint in place (same PID), or executes the program directly when the
 * host's store already holds the closure. Exit status 127 for every failure of its own. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appdir.h"
#include "debug.h"
#include "err.h"
#include "hoststore.h"
#include "mountroot.h"
#include "pivot.h"
#include "store.h"
#include "userns.h"

#define EXIT_ENTRY_FAILURE 127

struct entry {
    char appdir[PATH_MAX];
    char program[PATH_MAX]; /* the entrypoint's target, a /nix/store path */
    char cwd[PATH_MAX];
    char store_dir[PATH_MAX];     /* from the closure, e.g. /nix/store */
    char store_top[NAME_MAX + 1]; /* its first component, e.g. nix */
    int have_cwd;
};

static int fail(const struct entry *e, const struct en_err *err)
{
    char help[4096];

    fprintf(stderr, "squashnix: AppRun: %s\n", err->msg);
    if (err->hint == EN_HINT_USERNS_DENIED) {
        en_userns_denied_help(help, sizeof(help), "/proc/sys", e->store_dir);
        fprintf(stderr, "squashnix: AppRun: %s\n", help);
    }
    return EXIT_ENTRY_FAILURE;
}

/* Executes PATH with ARGV, whose argv[0] becomes PROGRAM (the store path of the program):
 * multi-call programs (busybox, coreutils) choose by it, and the caller's argv[0] names AppRun; the
 * runtime passes the bundle's name in $ARGV0. */
static int run_program(const char *path, const char *program, char **argv, struct en_err *err)
{
    argv[0] = (char *)program;
    en_trace("exec %s", path);
    execv(path, argv);
    return en_err_errno(err, errno, "cannot execute %s", path);
}

/* Finds the bundle and reads its closure and entrypoint; sets *NATIVE when the host's store holds
 * the whole closure (and the fast path is allowed). */
static int load(struct entry *e, bool *native, struct en_err *err)
{
    struct en_closure *c;

    e->have_cwd = getcwd(e->cwd, sizeof(e->cwd)) != NULL;
    if (en_appdir_find(e->appdir, sizeof(e->appdir), err) != 0)
        return -1;
    en_trace("APPDIR %s", e->appdir);
    c = en_closure_read(e->appdir, err);
    if (c == NULL)
        return -1;
    snprintf(e->store_dir, sizeof(e->store_dir), "%s", en_closure_store_dir(c));
    if (en_store_top(e->store_dir, e->store_top, sizeof(e->store_top)) != 0) {
        en_closure_free(c);
        return en_err_set(err, "store directory %s: first component too long", e->store_dir);
    }
    /* Read now, the closure decides the fast path; the namespace path needs only the store dir. */
    *native = en_hoststore_allowed() && en_hoststore_has_closure(c, e->store_dir);
    en_closure_free(c);
    return en_entrypoint_read(e->appdir, e->store_dir, e->program, sizeof(e->program), err);
}

static int enter_namespaces(struct en_err *err)
{
    uid_t uid = geteuid();

    if (uid == 0) {
        if (en_mountns_enter(err) != 0)
            return -1;
    } else if (en_userns_enter(uid, getegid(), err) != 0) {
        return -1;
    }
    return en_mounts_make_private(err);
}

static int build_root(const struct entry *e, struct en_err *err)
{
    /* The bundle provides these two; the host's versions, if any, stay out. */
    const char *const skip[] = {e->store_top, "entrypoint", NULL};
    enum en_store_mode mode;

    if (en_mountroot_enter(e->appdir, err) != 0 || en_mountroot_add_host(skip, err) != 0 ||
        en_mountroot_add_symlink("entrypoint", e->program, err) != 0 ||
        en_store_setup(e->appdir, e->store_dir, &mode, err) != 0)
        return -1;
    if (mode == EN_STORE_SHADOWED)
        en_trace("the host's store is hidden behind the bundle's (no overlay)");
    return en_mountroot_seal(err);
}

static void return_to_cwd(const struct entry *e)
{
    struct en_err err;

    if (en_return_to(e->have_cwd ? e->cwd : NULL, &err) != 0)
        fprintf(stderr, "squashnix: AppRun: warning: %s; running in / instead\n", err.msg);
}

int main(int argc, char **argv)
{
    static struct entry e; /* static: PATH_MAX buffers stay off the stack */
    struct en_err err = {0};
    bool native = false;

    (void)argc;
    en_debug_init();
    if (load(&e, &native, &err) != 0)
        return fail(&e, &err);
    if (native) {
        en_trace("the host's %s holds the closure: native fast path", e.store_dir);
        run_program(e.program, e.program, argv, &err);
        return fail(&e, &err);
    }
    if (enter_namespaces(&err) != 0 || build_root(&e, &err) != 0 || en_pivot_here(&err) != 0)
        return fail(&e, &err);
    return_to_cwd(&e);
    run_program("/entrypoint", e.program, argv, &err);
    return fail(&e, &err);
}
