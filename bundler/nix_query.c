/* Runs the local `nix` and captures what it prints. See nix_query.h. */
#include "nix_query.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The closure reader refuses larger documents (closure.c), so reading more is pointless. */
#define NIX_MAX_OUTPUT ((size_t)64 << 20)
/* Nix prints its error last; the tail of its standard error is what a user needs to see. */
#define NIX_STDERR_KEEP  4096
#define NIX_STDERR_SHOWN 600

struct capture {
    char *out;
    size_t out_len, out_cap;
    char errtail[NIX_STDERR_KEEP + 1];
    size_t err_len;
};

static int append_out(struct capture *cap, const char *data, size_t n, struct sn_error *err)
{
    if (cap->out_len + n > NIX_MAX_OUTPUT)
        return sn_error_set(err, SN_ERR_NOMEM, "nix path-info printed more than %zu MiB",
                            NIX_MAX_OUTPUT >> 20);
    if (cap->out_len + n + 1 > cap->out_cap) {
        size_t want = cap->out_cap ? cap->out_cap : 65536;
        char *p;
        while (want < cap->out_len + n + 1)
            want *= 2;
        p = realloc(cap->out, want);
        if (!p)
            return sn_error_set(err, SN_ERR_NOMEM, "out of memory reading nix's output");
        cap->out = p;
        cap->out_cap = want;
    }
    memcpy(cap->out + cap->out_len, data, n);
    cap->out_len += n;
    cap->out[cap->out_len] = '\0';
    return 0;
}

/* Keeps the last NIX_STDERR_KEEP bytes of standard error. */
static void append_err(struct capture *cap, const char *data, size_t n)
{
    if (n >= NIX_STDERR_KEEP) {
        data += n - NIX_STDERR_KEEP;
        n = NIX_STDERR_KEEP;
    }
    if (cap->err_len + n > NIX_STDERR_KEEP) {
        size_t drop = cap->err_len + n - NIX_STDERR_KEEP;
        memmove(cap->errtail, cap->errtail + drop, cap->err_len - drop);
        cap->err_len -= drop;
    }
    memcpy(cap->errtail + cap->err_len, data, n);
    cap->err_len += n;
    cap->errtail[cap->err_len] = '\0';
}

/* Reads both pipes until nix closes them. Returns -1 (with ERR) when its output is too large. */
static int drain(int out_fd, int err_fd, struct capture *cap, struct sn_error *err)
{
    struct pollfd fds[2] = {{.fd = out_fd, .events = POLLIN}, {.fd = err_fd, .events = POLLIN}};
    char buf[65536];

    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return sn_error_errno(err, errno, "poll on nix's output");
        }
        for (int i = 0; i < 2; i++) {
            ssize_t got;
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(fds[i].fd, buf, sizeof(buf));
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return sn_error_errno(err, errno, "read from nix");
            if (got == 0)
                fds[i].fd = -1;
            else if (i == 1)
                append_err(cap, buf, (size_t)got);
            else if (append_out(cap, buf, (size_t)got, err) < 0)
                return -1;
        }
    }
    return 0;
}

static int wait_child(pid_t pid, int *status, struct sn_error *err)
{
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR)
            return sn_error_errno(err, errno, "waitpid for nix (pid %d)", (int)pid);
    }
    return 0;
}

static int spawn(const char *const *argv, int out_fd, int err_fd, pid_t *pid, struct sn_error *err)
{
    posix_spawn_file_actions_t fa;
    int rc;

    rc = posix_spawn_file_actions_init(&fa);
    if (rc != 0)
        return sn_error_errno(err, rc, "posix_spawn_file_actions_init");
    rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    if (rc == 0)
        rc = posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
    if (rc == 0)
        rc = posix_spawnp(pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc == ENOENT)
        return sn_error_set(err, SN_ERR_INPUT,
                            "nix not found in PATH: install Nix, or pass --closure FILE with the "
                            "output of `nix path-info --json --recursive`");
    if (rc != 0)
        return sn_error_errno(err, rc, "cannot run %s", argv[0]);
    return 0;
}

/* Runs ARGV (searched in PATH), capturing its standard output and the tail of its standard
 * error; *STATUS is its wait status. The pipes are O_CLOEXEC: only the child's 1 and 2 get them. */
static int run(const char *const *argv, struct capture *cap, int *status, struct sn_error *err)
{
    int out[2] = {-1, -1}, errp[2] = {-1, -1};
    pid_t pid;
    int rc = -1;

    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
        sn_error_errno(err, errno, "pipe2");
        goto out;
    }
    if (spawn(argv, out[1], errp[1], &pid, err) < 0)
        goto out;
    close(out[1]);
    close(errp[1]);
    out[1] = errp[1] = -1;
    rc = drain(out[0], errp[0], cap, err);
    if (rc < 0)
        kill(pid, SIGKILL); /* nothing more is wanted from it; reap it below */
    if (wait_child(pid, status, err) < 0)
        rc = -1;
out:
    for (int i = 0; i < 2; i++) {
        if (out[i] >= 0)
            close(out[i]);
        if (errp[i] >= 0)
            close(errp[i]);
    }
    return rc;
}

/* The part of nix's standard error worth showing: from its first "error:" on (warnings about an
 * unreachable binary cache come before it), at most NIX_STDERR_SHOWN bytes from the end, control
 * characters replaced. */
static const char *stderr_excerpt(struct capture *cap)
{
    char *s = cap->errtail;
    char *e = strstr(s, "error:");
    size_t len;

    while (e && e != s && e[-1] != '\n')
        e = strstr(e + 1, "error:");
    if (e)
        s = e;
    len = strlen(s);
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == ' '))
        s[--len] = '\0';
    if (len > NIX_STDERR_SHOWN)
        s += len - NIX_STDERR_SHOWN;
    /* Colour codes or stray control bytes would garble the user's terminal. */
    for (char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 && *c != '\n' && *c != '\t')
            *c = '?';
    return s;
}

static int describe_failure(const char *what, int status, struct capture *cap, struct sn_error *err)
{
    const char *msg = stderr_excerpt(cap);
    const char *hint = "";
    char how[48];

    if (WIFEXITED(status))
        snprintf(how, sizeof(how), "exit status %d", WEXITSTATUS(status));
    else
        snprintf(how, sizeof(how), "killed by signal %d", WTERMSIG(status));
    if (strstr(msg, "is not valid") || strstr(msg, "don't know how to build"))
        hint = "\nBuild the package first (e.g. `nix build INSTALLABLE` or `nix-store --realise "
               "PATH`), then pass its output path.";
    return sn_error_set(err, SN_ERR_INPUT, "%s failed (%s):\n%s%s", what, how,
                        *msg ? msg : "(nix printed nothing on standard error)", hint);
}

int nix_wants_json_format(const char *version_output)
{
    const char *p = version_output;
    const char *last = NULL;
    unsigned major, minor;

    if (strstr(version_output, "Lix"))
        return 0;
    /* The version is the last word: "nix (Nix) 2.8.0", "nix (Determinate Nix 3.1.0) 2.29.0". */
    while ((p = strpbrk(p, " \t")) != NULL)
        last = ++p;
    if (!last)
        last = version_output;
    if (sscanf(last, "%u.%u", &major, &minor) != 2)
        return -1;
    return major > 2 || (major == 2 && minor >= 33);
}

static int detect_json_format(int *wanted, struct sn_error *err)
{
    const char *argv[] = {"nix", "--version", NULL};
    struct capture cap = {0};
    int status, rc = -1;

    if (run(argv, &cap, &status, err) < 0)
        goto out;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        describe_failure("nix --version", status, &cap, err);
        goto out;
    }
    *wanted = nix_wants_json_format(cap.out ? cap.out : "");
    if (*wanted < 0) {
        sn_error_set(err, SN_ERR_INPUT, "nix --version printed no version: \"%.100s\"",
                     cap.out ? cap.out : "");
        goto out;
    }
    rc = 0;
out:
    free(cap.out);
    return rc;
}

int nix_path_info(const char *const *paths, size_t n, char **json, size_t *len,
                  struct sn_error *err)
{
    static const char *const head[] = {
        "nix", "--extra-experimental-features", "nix-command", "path-info", "--json", "--recursive",
    };
    const size_t n_head = sizeof(head) / sizeof(head[0]);
    struct capture cap = {0};
    const char **argv;
    size_t argc = 0;
    int wanted, status, rc = -1;

    *json = NULL;
    *len = 0;
    if (n == 0)
        return sn_error_set(err, SN_ERR_INPUT, "nix path-info: no store path given");
    if (detect_json_format(&wanted, err) < 0)
        return -1;
    argv = calloc(n_head + n + 4, sizeof(*argv));
    if (!argv)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n_head; i++)
        argv[argc++] = head[i];
    if (wanted) {
        argv[argc++] = "--json-format";
        argv[argc++] = "2";
    }
    argv[argc++] = "--"; /* a path never reads as an option */
    for (size_t i = 0; i < n; i++)
        argv[argc++] = paths[i];
    if (run(argv, &cap, &status, err) < 0)
        goto out;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        describe_failure("nix path-info", status, &cap, err);
        goto out;
    }
    if (!cap.out && append_out(&cap, "", 0, err) < 0)
        goto out;
    *json = cap.out;
    *len = cap.out_len;
    cap.out = NULL;
    rc = 0;
out:
    free(cap.out);
    free(argv);
    return rc;
}
