/* libFuzzer harness: reading a squashfs image the way the runtime extracts it
 * (runtime/squashfs_image.c opens and validates it with the runtime's own reader, runtime/sqfs/,
 * and runtime/extract.c writes the tree, as --appimage-extract and the extraction cache do). The
 * input is the squashfs image behind a minimal ELF header. Any input must give a tree or an
 * error, never a crash, a leak, a descriptor left open or undefined behaviour, and nothing may be
 * written outside the target directory.
 *
 * Outside writes are caught by running in a jail: the process chroots (once, at start, in its own
 * mount namespace) into build-fuzz/jail-extract/, which holds only the image file, the target and
 * /proc (bound, for LeakSanitizer); after each run any other name in the jail's root (from ".."
 * or a followed symlink such as /etc/passwd) aborts. The working directory is left outside, so
 * libFuzzer's relative corpus and artifact paths work. FUZZ_NO_JAIL=1 skips the jail, to replay
 * a reproducer with symbolized stacks (llvm-symbolizer is not in the jail).
 * sources: runtime/squashfs_image.c runtime/elf_image.c runtime/extract.c runtime/rt_error.c
 * sources: runtime/sqfs/superblock.c runtime/sqfs/compressor.c runtime/sqfs/metadata.c
 * sources: runtime/sqfs/inode.c runtime/sqfs/directory.c runtime/sqfs/fragment.c
 * sources: runtime/sqfs/data.c runtime/sqfs/walk.c
 * libs: -llzo2
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../runtime/extract.h"
#include "../../runtime/squashfs_image.h"

#define JAIL        "build-fuzz/jail-extract"
#define MAX_WRITTEN (8 << 20) /* a mutated file size must not fill the disk */

/* The jail's root as seen from here: "/" once chrooted, else JAIL; the image and target in it. */
static const char *base = "/";
static char image[256], target[256];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what)
{
    fprintf(stderr, "fuzz_extract: %s: %s\n", what, strerror(errno));
    abort();
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);

    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) < 0)
        die(path);
}

/* A private mount namespace (as root of a new user namespace when not root) where the jail gets
 * /proc and may be chrooted into. */
static void private_namespace(void)
{
    char map[64];
    unsigned uid = geteuid(), gid = getegid();

    if (unshare(uid == 0 ? CLONE_NEWNS : CLONE_NEWUSER | CLONE_NEWNS) < 0)
        die("unshare");
    if (uid != 0) {
        write_file("/proc/self/setgroups", "deny");
        snprintf(map, sizeof(map), "0 %u 1", uid);
        write_file("/proc/self/uid_map", map);
        snprintf(map, sizeof(map), "0 %u 1", gid);
        write_file("/proc/self/gid_map", map);
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
        die("making / private");
}

static void enter_jail(void)
{
    private_namespace();
    if (mkdir(JAIL, 0700) < 0 && errno != EEXIST)
        die("mkdir " JAIL);
    if (mkdir(JAIL "/proc", 0555) < 0 && errno != EEXIST)
        die("mkdir " JAIL "/proc");
    if (mount("/proc", JAIL "/proc", NULL, MS_BIND | MS_REC, NULL) < 0)
        die("bind /proc");
    if (chroot(JAIL) < 0)
        die("chroot " JAIL);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) < 0)
        die(path);
    return 0;
}

static void remove_target(void)
{
    if (nftw(target, remove_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
        die(target);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct rlimit fsize = {MAX_WRITTEN, MAX_WRITTEN};

    (void)argc;
    (void)argv;
    if (getenv("FUZZ_NO_JAIL")) {
        base = JAIL;
        if (mkdir(JAIL, 0700) < 0 && errno != EEXIST)
            die("mkdir " JAIL);
    } else {
        enter_jail();
    }
    snprintf(image, sizeof(image), "%s/image", base);
    snprintf(target, sizeof(target), "%s/target", base);
    remove_target(); /* left by a run that stopped at a crash */
    /* Past the limit write() fails with EFBIG instead of killing us with SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &fsize) < 0)
        die("setrlimit(RLIMIT_FSIZE)");
    return 0;
}

/* A 64-bit ELF header whose only section header (SHT_NULL) ends at byte 128: the image's offset. */
static void elf_prefix(unsigned char out[128])
{
    Elf64_Ehdr eh = {0};

    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_shoff = sizeof(Elf64_Ehdr);
    eh.e_shentsize = sizeof(Elf64_Shdr);
    eh.e_shnum = 1;
    memset(out, 0, 128);
    memcpy(out, &eh, sizeof(eh));
}

static void write_image(const uint8_t *data, size_t size)
{
    unsigned char head[128];
    int fd = open(image, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

    elf_prefix(head);
    if (fd < 0 || write(fd, head, sizeof(head)) != (ssize_t)sizeof(head))
        die(image);
    if (size > 0 && write(fd, data, size) != (ssize_t)size)
        die(image);
    if (close(fd) < 0)
        die(image);
}

static void extract(void)
{
    struct rt_image *img;
    struct rt_error err;
    char digest[33];
    int root_fd;

    if (rt_image_open(image, &img, &err) < 0)
        return;
    if (mkdir(target, 0700) < 0)
        die(target);
    root_fd = open(target, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0)
        die(target);
    (void)rt_image_digest(img, digest, &err);
    (void)rt_extract(rt_image_fs(img), root_fd, NULL, &err);
    close(root_fd);
    rt_image_close(img);
}

/* Anything but the image and the target in the jail's root was written outside the target. */
static void check_jail(void)
{
    DIR *d = opendir(base);
    struct dirent *e;

    if (!d)
        die(base);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "image") &&
            strcmp(e->d_name, "target") && strcmp(e->d_name, "proc")) {
            fprintf(stderr, "fuzz_extract: \"%s\" was written outside the target\n", e->d_name);
            abort();
        }
    }
    closedir(d);
}

/* Every descriptor the extraction opened is closed: the next free one is the same every run. */
static void check_fds(void)
{
    static int first = -1;
    int fd = open(base, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        die(base);
    close(fd);
    if (first < 0)
        first = fd;
    if (fd != first) {
        fprintf(stderr, "fuzz_extract: descriptor leak: next free fd %d, was %d\n", fd, first);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_image(data, size);
    extract();
    check_jail();
    remove_target();
    check_fds();
    return 0;
}
