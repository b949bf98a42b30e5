/* Atomic output. The temporary file's path lives in a static buffer that the signal handler reads;
 * it is armed (sig_atomic_t) only after the path is complete and disarmed before it changes. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct output {
    int fd;
    char dest[PATH_MAX];
};

static char temp_path[PATH_MAX];
static volatile sig_atomic_t temp_armed;

static void on_signal(int sig)
{
    if (temp_armed)
        unlink(temp_path);
    signal(sig, SIG_DFL);
    raise(sig);
}

int output_install_signal_handlers(struct sn_error *err)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        if (sigaction(sigs[i], &sa, NULL) < 0)
            return sn_error_errno(err, errno, "sigaction");
    return 0;
}

/* "<dir of DEST>/.<base of DEST>.XXXXXX" into BUF. */
static int temp_template(const char *dest, char *buf, size_t len)
{
    const char *slash = strrchr(dest, '/');
    int dir_len = slash ? (int)(slash - dest + 1) : 0;
    const char *base = slash ? slash + 1 : dest;
    int n = snprintf(buf, len, "%.*s.%s.XXXXXX", dir_len, dest, base);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int output_open(const char *dest, struct output **out, struct sn_error *err)
{
    struct output *o = calloc(1, sizeof(*o));
    char tmpl[PATH_MAX];
    if (!o)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    if (strlen(dest) >= sizeof(o->dest) || temp_template(dest, tmpl, sizeof(tmpl)) < 0 ||
        dest[strlen(dest) - 1] == '/') {
        free(o);
        return sn_error_set(err, SN_ERR_INPUT, "output %s: not a usable file name", dest);
    }
    strcpy(o->dest, dest);
    temp_armed = 0;
    o->fd = mkostemp(tmpl, O_CLOEXEC);
    if (o->fd < 0) {
        int saved = errno;
        free(o);
        return sn_error_errno(err, saved, "creating a temporary file beside %s", dest);
    }
    strcpy(temp_path, tmpl);
    temp_armed = 1;
    *out = o;
    return 0;
}

int output_fd(const struct output *o)
{
    return o->fd;
}

int output_commit(struct output *o, mode_t mode, struct sn_error *err)
{
    int rc = 0;
    if (fchmod(o->fd, mode) < 0)
        rc = sn_error_errno(err, errno, "chmod %s", temp_path);
    else if (fsync(o->fd) < 0)
        rc = sn_error_errno(err, errno, "fsync %s", temp_path);
    else if (rename(temp_path, o->dest) < 0)
        rc = sn_error_errno(err, errno, "renaming %s to %s", temp_path, o->dest);
    if (rc < 0) {
        output_abort(o);
        return -1;
    }
    temp_armed = 0;
    close(o->fd);
    free(o);
    return 0;
}

void output_abort(struct output *o)
{
    if (temp_armed)
        unlink(temp_path);
    temp_armed = 0;
    close(o->fd);
    free(o);
}
