#include "regular_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int refuse(int fd, const char *path, const char *what, struct sn_error *err)
{
    close(fd);
    return sn_error_set(err, SN_ERR_INPUT, "%s %s is not a regular file; give the path of a file",
                        what, path);
}

int regular_file_open(const char *path, const char *what, struct sn_error *err)
{
    struct stat st;
    int flags;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

    if (fd < 0)
        return sn_error_errno(err, errno, "opening %s %s", what, path);
    if (fstat(fd, &st) < 0) {
        int saved = errno;
        close(fd);
        return sn_error_errno(err, saved, "fstat %s %s", what, path);
    }
    if (!S_ISREG(st.st_mode))
        return refuse(fd, path, what, err);
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        int saved = errno;
        close(fd);
        return sn_error_errno(err, saved, "fcntl %s %s", what, path);
    }
    return fd;
}
