/* Atomic output. Each open output's temporary path lives in a static slot that the signal handler
 * reads; a slot is armed (sig_atomic_t) only after its path is complete and disarmed before it
 * changes. */
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
    int slot;
    char dest[PATH_MAX];
};

static char temp_path[OUTPUT_MAX][PATH_MAX];
static volatile sig_atomic_t temp_armed[OUTPUT_MAX];

static void on_signal(int sig)
{
    for (int i = 0; i < OUTPUT_MAX; i++)
        if (temp_armed[i])
            unlink(temp_path[i]);
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

static int free_slot(void)
{
    for (int i = 0; i < OUTPUT_MAX; i++)
        if (!temp_armed[i])
            return i;
    return -1;
}

int output_open(const char *dest, struct output **out, struct sn_error *err)
{
    int slot = free_slot();
    if (slot < 0)
        return sn_error_set(err, SN_ERR_SYSTEM, "output %s: more than %d outputs open at once",
                            dest, OUTPUT_MAX);
    struct output *o = calloc(1, sizeof(*o));
    char tmpl[PATH_MAX];
    if (!o)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    o->slot = slot;
    if (strlen(dest) >= sizeof(o->dest) || temp_template(dest, tmpl, sizeof(tmpl)) < 0 ||
        dest[strlen(dest) - 1] == '/') {
        free(o);
        return sn_error_set(err, SN_ERR_INPUT, "output %s: not a usable file name", dest);
    }
    strcpy(o->dest, dest);
    o->fd = mkostemp(tmpl, O_CLOEXEC);
    if (o->fd < 0) {
        int saved = errno;
        free(o);
        return sn_error_errno(err, saved, "creating a temporary file beside %s", dest);
    }
    strcpy(temp_path[slot], tmpl);
    temp_armed[slot] = 1;
    *out = o;
    return 0;
}

int output_fd(const struct output *o)
{
    return o->fd;
}

const char *output_dest(const struct output *o)
{
    return o->dest;
}

int output_sync(struct output *o, mode_t mode, struct sn_error *err)
{
    const char *temp = temp_path[o->slot];
    if (fchmod(o->fd, mode) < 0)
        return sn_error_errno(err, errno, "chmod %s", temp);
    if (fsync(o->fd) < 0)
        return sn_error_errno(err, errno, "fsync %s", temp);
    return 0;
}

int output_commit(struct output *o, mode_t mode, struct sn_error *err)
{
    const char *temp = temp_path[o->slot];
    int rc = output_sync(o, mode, err);
    if (rc == 0 && rename(temp, o->dest) < 0)
        rc = sn_error_errno(err, errno, "renaming %s to %s", temp, o->dest);
    if (rc < 0) {
        output_abort(o);
        return -1;
    }
    temp_armed[o->slot] = 0;
    close(o->fd);
    free(o);
    return 0;
}

/* How a destination was replaced, to undo it. */
enum placed { NOT_YET, RENAMED, EXCHANGED };

/* Puts O's temporary file at its destination. An existing destination is exchanged with it
 * (RENAME_EXCHANGE), so that the previous file waits under the temporary name until the whole group
 * is in place; where the file system cannot exchange, it is replaced. */
static int place(struct output *o, enum placed *how, struct sn_error *err)
{
    const char *temp = temp_path[o->slot];
    struct stat st;
    if (lstat(o->dest, &st) == 0 &&
        renameat2(AT_FDCWD, temp, AT_FDCWD, o->dest, RENAME_EXCHANGE) == 0) {
        *how = EXCHANGED;
        return 0;
    }
    if (rename(temp, o->dest) < 0)
        return sn_error_errno(err, errno, "renaming %s to %s", temp, o->dest);
    *how = RENAMED;
    return 0;
}

/* Undoes place: the previous file (if any) back at the destination. */
static void unplace(struct output *o, enum placed how)
{
    const char *temp = temp_path[o->slot];
    if (how == EXCHANGED)
        renameat2(AT_FDCWD, temp, AT_FDCWD, o->dest, RENAME_EXCHANGE);
    else if (how == RENAMED)
        unlink(o->dest);
}

/* A directory at a destination would be exchanged with the file: refused before anything moves. */
static int check_dests(struct output **outs, int n, struct sn_error *err)
{
    struct stat st;
    for (int i = 0; i < n; i++)
        if (lstat(outs[i]->dest, &st) == 0 && S_ISDIR(st.st_mode))
            return sn_error_set(err, SN_ERR_SYSTEM, "cannot write %s: it is a directory",
                                outs[i]->dest);
    return 0;
}

int output_commit_group(struct output **outs, const mode_t *modes, int n, struct sn_error *err)
{
    enum placed how[OUTPUT_MAX] = {NOT_YET};
    int placed = 0, rc = check_dests(outs, n, err);
    for (int k = 0; rc == 0 && k < n; k++)
        rc = output_sync(outs[k], modes[k], err);
    while (rc == 0 && placed < n && (rc = place(outs[placed], &how[placed], err)) == 0)
        placed++;
    if (rc < 0)
        while (placed-- > 0)
            unplace(outs[placed], how[placed]);
    for (int k = 0; k < n; k++) {
        /* After an exchange the temporary name holds the previous file (undone: the new one). */
        if (how[k] != RENAMED || rc < 0)
            unlink(temp_path[outs[k]->slot]);
        temp_armed[outs[k]->slot] = 0;
        close(outs[k]->fd);
        free(outs[k]);
    }
    return rc;
}

void output_abort(struct output *o)
{
    if (temp_armed[o->slot])
        unlink(temp_path[o->slot]);
    temp_armed[o->slot] = 0;
    close(o->fd);
    free(o);
}
