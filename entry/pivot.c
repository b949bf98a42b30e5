/* pivot_root into the new root. */
#include "pivot.h"

#include <errno.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debug.h"

int en_pivot_here(struct en_err *err)
{
    en_trace("pivot_root into the new root, detach the old root");
    /* pivot_root(".", "."): the old root ends up stacked on the new one, and unmounting "."
     * detaches it; no directory for the old root is needed (pivot_root(2), NOTES). glibc has no
     * wrapper. */
    if (syscall(SYS_pivot_root, ".", ".") != 0)
        return en_err_errno(err, errno, "pivot_root into the new root failed");
    if (umount2(".", MNT_DETACH) != 0)
        return en_err_errno(err, errno, "cannot detach the old root");
    if (chdir("/") != 0)
        return en_err_errno(err, errno, "cannot change directory to / in the new root");
    return 0;
}

int en_return_to(const char *cwd, struct en_err *err)
{
    if (cwd == NULL || cwd[0] != '/')
        return en_err_set(err, "the working directory is unknown");
    if (chdir(cwd) != 0)
        return en_err_errno(err, errno, "cannot return to the working directory %s", cwd);
    en_trace("working directory %s", cwd);
    return 0;
}
