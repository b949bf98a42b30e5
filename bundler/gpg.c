/* gpg in a private working directory. gpg's status lines (--status-fd 1) and standard error go to
 * files there rather than pipes, so that no output volume can block it and no poll loop is needed.
 */
#include "gpg.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define GPG_MAX_ARGS   32
#define GPG_STATUS_MAX (1 << 20)
#define GPG_TAIL_LEN   600

/* Room for the file names appended to the directory's path. */
#define GPG_DIR_MAX (PATH_MAX - 256)

struct gpg {
    char dir[GPG_DIR_MAX];
    char path[PATH_MAX];
    char home[GPG_DIR_MAX + 8]; /* "" for the caller's keyring */
    char *status;
    char stderr_tail[GPG_TAIL_LEN];
};

static int make_dir(struct gpg *g, struct sn_error *err)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || *tmp != '/')
        tmp = "/tmp";
    if ((size_t)snprintf(g->dir, sizeof(g->dir), "%s/squashnix-gpg.XXXXXX", tmp) >= sizeof(g->dir))
        return sn_error_set(err, SN_ERR_INPUT, "TMPDIR %s: path too long", tmp);
    if (!mkdtemp(g->dir))
        return sn_error_errno(err, errno, "cannot create a temporary directory %s", g->dir);
    return 0;
}

int gpg_open(enum gpg_keyring keyring, struct gpg **out, struct sn_error *err)
{
    struct gpg *g = calloc(1, sizeof(*g));
    if (!g)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    if (make_dir(g, err) < 0) {
        free(g);
        return -1;
    }
    if (keyring == GPG_KEYRING_PRIVATE) {
        snprintf(g->home, sizeof(g->home), "%s/home", g->dir);
        if (mkdir(g->home, 0700) < 0) {
            int e = errno;
            gpg_close(g);
            return sn_error_errno(err, e, "cannot create %s", g->home);
        }
    }
    *out = g;
    return 0;
}

const char *gpg_path(struct gpg *g, const char *name)
{
    /* Names are the callers' own short constants: they always fit. */
    if ((size_t)snprintf(g->path, sizeof(g->path), "%s/%s", g->dir, name) >= sizeof(g->path))
        g->path[0] = '\0';
    return g->path;
}

int gpg_write_file(struct gpg *g, const char *name, const void *data, size_t len,
                   struct sn_error *err)
{
    const char *path = gpg_path(g, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return sn_error_errno(err, errno, "cannot create %s", path);
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            close(fd);
            return sn_error_errno(err, e, "cannot write %s", path);
        }
        p += n;
        len -= (size_t)n;
    }
    if (close(fd) < 0)
        return sn_error_errno(err, errno, "cannot write %s", path);
    return 0;
}

/* Reads at most MAX + 1 bytes of the open FD into a NUL-terminated malloc'd buffer. */
static int read_fd(int fd, size_t max, char **data, size_t *len)
{
    char *buf = malloc(max + 2);
    size_t got = 0;
    if (!buf)
        return -1;
    while (got <= max) {
        ssize_t n = read(fd, buf + got, max + 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            free(buf);
            return -1;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    return 0;
}

int gpg_read_file(struct gpg *g, const char *name, const char *what, size_t max, char **data,
                  size_t *len, struct sn_error *err)
{
    const char *path = gpg_path(g, name);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return sn_error_errno(err, errno, "cannot open %s", path);
    int rc = read_fd(fd, max, data, len);
    int e = errno;
    close(fd);
    if (rc < 0)
        return sn_error_errno(err, e, "cannot read %s", path);
    if (*len > max) {
        free(*data);
        *data = NULL;
        return sn_error_set(err, SN_ERR_INPUT, "%s is larger than %zu bytes", what, max);
    }
    return 0;
}

/* Keeps the end of gpg's standard error, its lines joined with "; ". */
static void load_stderr_tail(struct gpg *g)
{
    char *text = NULL;
    size_t len = 0;
    struct sn_error ignored;
    g->stderr_tail[0] = '\0';
    if (gpg_read_file(g, ".stderr", "gpg's error output", GPG_STATUS_MAX, &text, &len, &ignored) <
        0)
        return;
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    const char *start = len >= GPG_TAIL_LEN ? text + len - (GPG_TAIL_LEN - 1) : text;
    size_t i = 0;
    for (const char *p = start; *p && i + 3 < GPG_TAIL_LEN; p++) {
        if (*p == '\n') {
            g->stderr_tail[i++] = ';';
            g->stderr_tail[i++] = ' ';
        } else {
            g->stderr_tail[i++] = *p;
        }
    }
    g->stderr_tail[i] = '\0';
    free(text);
}

/* The full argument vector: gpg, the fixed options, then ARGS. */
static int build_argv(struct gpg *g, const char *const *args, const char **argv,
                      struct sn_error *err)
{
    int n = 0;
    argv[n++] = "gpg";
    argv[n++] = "--batch";
    argv[n++] = "--no-tty";
    argv[n++] = "--status-fd";
    argv[n++] = "1";
    if (g->home[0]) {
        argv[n++] = "--homedir";
        argv[n++] = g->home;
    }
    for (; *args; args++) {
        if (n >= GPG_MAX_ARGS - 1)
            return sn_error_set(err, SN_ERR_INPUT, "too many gpg arguments");
        argv[n++] = *args;
    }
    argv[n] = NULL;
    return 0;
}

static int spawn(struct gpg *g, const char **argv, pid_t *pid, struct sn_error *err)
{
    char out_path[PATH_MAX], err_path[PATH_MAX];
    snprintf(out_path, sizeof(out_path), "%s/.status", g->dir);
    snprintf(err_path, sizeof(err_path), "%s/.stderr", g->dir);
    posix_spawn_file_actions_t fa;
    int rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0)
        return sn_error_errno(err, rc, "posix_spawn_file_actions_init");
    rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 1, out_path,
                                              O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    if (rc == 0)
        rc = posix_spawn_file_actions_addopen(&fa, 2, err_path,
                                              O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
    /* Run in the working directory, so that callers name its files relative to it. */
    if (rc == 0)
        rc = posix_spawn_file_actions_addchdir_np(&fa, g->dir);
    if (rc == 0)
        rc = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc == ENOENT)
        return sn_error_set(err, SN_ERR_INPUT,
                            "gpg not found in PATH: install GnuPG (Debian/Ubuntu: gnupg)");
    if (rc != 0)
        return sn_error_errno(err, rc, "cannot run gpg");
    return 0;
}

int gpg_run(struct gpg *g, const char *const *args, int *exit_code, struct sn_error *err)
{
    const char *argv[GPG_MAX_ARGS];
    pid_t pid;
    if (build_argv(g, args, argv, err) < 0 || spawn(g, argv, &pid, err) < 0)
        return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return sn_error_errno(err, errno, "waitpid for gpg (pid %d)", (int)pid);
    }
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);

    free(g->status);
    g->status = NULL;
    size_t len;
    if (gpg_read_file(g, ".status", "gpg's status output", GPG_STATUS_MAX, &g->status, &len, err) <
        0)
        return -1;
    load_stderr_tail(g);
    return 0;
}

const char *gpg_status(const struct gpg *g)
{
    return g->status ? g->status : "";
}

const char *gpg_stderr(const struct gpg *g)
{
    return g->stderr_tail;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* gpg may have started an agent for the private keyring; it would keep sockets in the directory. */
static void stop_private_agent(struct gpg *g)
{
    char sock[PATH_MAX];
    snprintf(sock, sizeof(sock), "%s/S.gpg-agent", g->home);
    if (!g->home[0] || access(sock, F_OK) < 0)
        return;
    const char *argv[] = {"gpgconf", "--homedir", g->home, "--kill", "all", NULL};
    pid_t pid;
    int status;
    if (posix_spawnp(&pid, argv[0], NULL, NULL, (char *const *)argv, environ) == 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
}

void gpg_close(struct gpg *g)
{
    if (!g)
        return;
    stop_private_agent(g);
    /* FTW_PHYS: never follow a symlink out of the directory. */
    nftw(g->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(g->status);
    free(g);
}
