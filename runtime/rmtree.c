#include "rmtree.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

/* Read-only directories from the image must become writable before their entries can go. */
static int open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag == FTW_D && (st->st_mode & 0700) != 0700)
        chmod(path, 0700);
    return 0;
}

int rt_remove_tree(const char *path)
{
    if (nftw(path, open_up, 16, FTW_PHYS) < 0 && errno != ENOENT)
        return -1;
    if (nftw(path, rm_entry, 16, FTW_PHYS | FTW_DEPTH) < 0 && errno != ENOENT)
        return -1;
    return 0;
}
