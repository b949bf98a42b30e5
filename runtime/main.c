/* The squashnix runtime: the static ELF at the front of every bundle (AppImage type 2). It finds
 * the squashfs image after its own ELF, makes it a directory (kernel squashfs as root, else FUSE,
 * else an extraction cache) and executes $APPDIR/AppRun in its own place: same PID, so the
 * program's exit status and the signals sent to the runtime are the program's. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "elf_image.h"
#include "env.h"
#include "extract.h"
#include "fusemount.h"
#include "squashfs_image.h"
#include "loopmount.h"
#include "rmtree.h"
#include "args.h"

#define EXIT_LAUNCH 127

/* A literal, so that `squashnix inspect` finds the runtime's version in a bundle's bytes. */
static const char version_marker[] = "squashnix runtime " SQUASHNIX_VERSION;

static const char help_text[] =
    "Usage: BUNDLE [--appimage-OPTION | ARGS...]\n"
    "\n"
    "A squashnix bundle (an AppImage type 2). Without an --appimage-* option it runs the program\n"
    "with ARGS, making the bundled image a directory the best way available:\n"
    "  1. as root: the kernel's squashfs driver on a loop device, in a private mount namespace;\n"
    "  2. FUSE (squashfuse), at $TMPDIR/.mount_*, through fusermount3 when not root;\n"
    "  3. else extraction into $XDG_CACHE_HOME/squashnix (default ~/.cache/squashnix), once per\n"
    "     image; it says so on stderr when it falls back to this.\n"
    "Only the first argument is looked at; all others go to the program untouched.\n"
    "\n"
    "Options:\n"
    "  --appimage-extract [PATTERN]  extract the image to ./squashfs-root (PATTERN: fnmatch(3) on\n"
    "                                paths like usr/bin/*, as type2-runtime)\n"
    "  --appimage-extract-and-run    run by extraction (the cache above), skipping 1 and 2\n"
    "  --appimage-mount              mount (FUSE), print the mount point, stay until SIGTERM or\n"
    "                                SIGINT, then unmount once nothing uses it\n"
    "  --appimage-offset             print the image's byte offset in the file\n"
    "  --appimage-updateinfo         print the update information (.upd_info section)\n"
    "  --appimage-signature          print the signature (.sha256_sig section)\n"
    "  --appimage-portable-home      create BUNDLE.home, used as HOME when it exists\n"
    "  --appimage-portable-config    create BUNDLE.config, used as XDG_CONFIG_HOME when it exists\n"
    "  --appimage-version            print the runtime's version\n"
    "  --appimage-help               print this help\n"
    "\n"
    "Environment read: TARGET_APPIMAGE (the bundle to use instead of this file), TMPDIR,\n"
    "APPIMAGE_EXTRACT_AND_RUN (1: as --appimage-extract-and-run; 0 or empty: off),\n"
    "FUSERMOUNT_PROG (the fusermount helper to use), NO_CLEANUP (accepted; the extraction cache\n"
    "is always kept). Set for the program: APPIMAGE, APPDIR, ARGV0, OWD.\n"
    "\n"
    "Exit status: the program's own when it runs (the runtime becomes the program: a program\n"
    "killed by a signal is reported as killed by it); 0 after an option succeeded; 127 when the\n"
    "runtime itself failed (unknown option, not an AppImage, truncated or corrupted image, no way\n"
    "to mount or extract it, no AppRun). Messages go to stderr.\n";

static int fail(const char *what)
{
    fprintf(stderr, "squashnix runtime: %s\n", what);
    return EXIT_LAUNCH;
}

static int print_section(const char *appimage, const char *name)
{
    struct rt_error err;
    int fd = open(appimage, O_RDONLY | O_CLOEXEC);
    uint64_t size;
    char *data;

    if (fd < 0) {
        rt_fail_errno(&err, errno, "open %s", appimage);
        return fail(err.msg);
    }
    if (rt_elf_section_read(fd, name, &data, &size, &err) < 0) {
        close(fd);
        return fail(err.msg);
    }
    close(fd);
    printf("%s\n", data); /* zero-filled: the text up to the first NUL */
    free(data);
    return 0;
}

static int print_offset(const char *appimage)
{
    struct rt_error err;
    struct rt_image *img;

    if (rt_image_open(appimage, &img, &err) < 0)
        return fail(err.msg);
    printf("%llu\n", (unsigned long long)rt_image_offset(img));
    rt_image_close(img);
    return 0;
}

static int make_portable(const char *appimage, const char *suffix)
{
    struct rt_error err;
    char *dir;

    if (rt_portable_create(appimage, suffix, &dir, &err) < 0)
        return fail(err.msg);
    fprintf(stderr, "squashnix runtime: portable %s directory: %s\n",
            strcmp(suffix, ".home") == 0 ? "home" : "config", dir);
    free(dir);
    return 0;
}

/* Extracts into ./squashfs-root; when it fails, a squashfs-root made here is removed again. */
static int extract_here(struct rt_image *img, const char *pattern)
{
    struct rt_error err;
    int fd, made = mkdir("squashfs-root", 0755) == 0;

    if (!made && errno != EEXIST) {
        rt_fail_errno(&err, errno, "mkdir squashfs-root");
        return fail(err.msg);
    }
    fd = open("squashfs-root", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        rt_fail_errno(&err, errno, "open squashfs-root (not following links)");
        return fail(err.msg);
    }
    if (rt_extract(rt_image_fs(img), fd, pattern, &err) < 0) {
        close(fd);
        if (made)
            rt_remove_tree("squashfs-root");
        fprintf(stderr, "squashnix runtime: %s: extracting: %s\n", rt_image_path(img), err.msg);
        return EXIT_LAUNCH;
    }
    close(fd);
    return 0;
}

/* Prints the mount point and waits for SIGTERM, SIGINT or SIGHUP; our exit ends the mount. */
static int mount_and_wait(struct rt_image *img)
{
    struct rt_error err;
    char dir[PATH_MAX];
    sigset_t set;
    int sig, rc;

    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    /* An ignored signal is discarded, never pending: a shell starts background jobs with SIGINT
     * ignored, and Ctrl-C or kill -INT must still end the mount. */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    sigprocmask(SIG_BLOCK, &set, NULL);
    rc = rt_fuse_mount(img, dir, sizeof(dir), &err);
    rt_image_close(img);
    if (rc < 0)
        return fail(err.msg);
    printf("%s\n", dir);
    fflush(stdout);
    sigwait(&set, &sig);
    return 0;
}

/* Becomes $appdir/AppRun. Returns only on failure. */
static int exec_apprun(const char *appimage, const char *appdir, const char *argv0,
                       const struct rt_options *opts)
{
    struct rt_error err;
    char path[PATH_MAX];
    char **argv;

    if (rt_env_for_program(appimage, appdir, argv0, &err) < 0)
        return fail(err.msg);
    argv = calloc((size_t)opts->prog_argc + 2, sizeof(char *));
    if (!argv)
        return fail("out of memory");
    snprintf(path, sizeof(path), "%s/AppRun", appdir);
    argv[0] = path;
    for (int i = 0; i < opts->prog_argc; i++)
        argv[i + 1] = opts->prog_argv[i];
    execv(path, argv);
    rt_fail_errno(&err, errno, "execute %s (the image's AppRun)", path);
    free(argv);
    return fail(err.msg);
}

/* Runs from the extraction cache; why, when set, is why FUSE could not be used (said once). */
static int run_extracted(struct rt_image *img, const char *appimage, const char *argv0,
                         const struct rt_options *opts, const char *why)
{
    struct rt_error err;
    char *appdir, msg[2200];
    int rc;

    if (rt_cache_get(img, &appdir, &err) < 0) {
        rt_image_close(img);
        if (!why)
            return fail(err.msg);
        snprintf(msg, sizeof(msg), "FUSE unavailable (%s), and extraction failed: %s", why,
                 err.msg);
        return fail(msg);
    }
    if (why)
        fprintf(stderr, "squashnix runtime: FUSE unavailable (%s); running by extraction from %s\n",
                why, appdir);
    rt_image_close(img);
    rc = exec_apprun(appimage, appdir, argv0, opts);
    free(appdir);
    return rc;
}

/* The image is a directory at dir now: the reader is no longer needed. */
static int run_mounted(struct rt_image *img, const char *appimage, const char *dir,
                       const char *argv0, const struct rt_options *opts)
{
    rt_image_close(img);
    return exec_apprun(appimage, dir, argv0, opts);
}

static int run(struct rt_image *img, const char *appimage, const char *argv0,
               const struct rt_options *opts)
{
    struct rt_error err;
    char dir[PATH_MAX];

    if (opts->action == RT_EXTRACT_AND_RUN || rt_env_flag("APPIMAGE_EXTRACT_AND_RUN"))
        return run_extracted(img, appimage, argv0, opts, NULL);
    /* As root, a failure here (containers: no loop device) just means FUSE is next. */
    if (geteuid() == 0 &&
        rt_loop_mount_private(rt_image_fd(img), rt_image_offset(img), dir, sizeof(dir), &err) == 0)
        return run_mounted(img, appimage, dir, argv0, opts);
    rt_fuse_reap_stale();
    if (rt_fuse_usable(&err) < 0 || rt_fuse_mount(img, dir, sizeof(dir), &err) < 0)
        return run_extracted(img, appimage, argv0, opts, err.msg);
    return run_mounted(img, appimage, dir, argv0, opts);
}

int main(int argc, char **argv)
{
    struct rt_options opts;
    struct rt_error err;
    struct rt_image *img;
    char *appimage;
    int rc;

    if (rt_options_parse(argc, argv, &opts, &err) < 0)
        return fail(err.msg);
    if (opts.action == RT_HELP) {
        fputs(help_text, stdout);
        return 0;
    }
    if (opts.action == RT_VERSION) {
        printf("%s (AppImage type 2)\n", version_marker);
        return 0;
    }
    if (rt_appimage_path(&appimage, &err) < 0)
        return fail(err.msg);
    switch (opts.action) {
    case RT_OFFSET:
        rc = print_offset(appimage);
        break;
    case RT_UPDATEINFO:
        rc = print_section(appimage, ".upd_info");
        break;
    case RT_SIGNATURE:
        rc = print_section(appimage, ".sha256_sig");
        break;
    case RT_PORTABLE_HOME:
        rc = make_portable(appimage, ".home");
        break;
    case RT_PORTABLE_CONFIG:
        rc = make_portable(appimage, ".config");
        break;
    default:
        if (rt_image_open(appimage, &img, &err) < 0) {
            rc = fail(err.msg);
            break;
        }
        if (opts.action == RT_EXTRACT) {
            rc = extract_here(img, opts.pattern);
            rt_image_close(img);
        } else if (opts.action == RT_MOUNT) {
            rc = mount_and_wait(img);
        } else {
            rc = run(img, appimage, argc > 0 ? argv[0] : appimage, &opts);
        }
    }
    free(appimage);
    return rc;
}
