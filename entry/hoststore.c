/* Whether the host's store already holds the closure. */
#include "hoststore.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debug.h"

bool en_hoststore_has_closure(const struct en_closure *c, const char *store_dir)
{
    struct stat st;
    size_t i;
    int dirfd;
    bool all = true;

    dirfd = open(store_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0)
        return false;
    for (i = 0; i < en_closure_count(c) && all; i++) {
        /* Store paths are immutable and named by their content's hash: the same name is the same
         * content, so existence is the test Nix itself uses. */
        const char *base = strrchr(en_closure_path(c, i), '/') + 1;

        if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            en_trace("host store lacks %s: no native fast path", en_closure_path(c, i));
            all = false;
        }
    }
    close(dirfd);
    return all && en_closure_count(c) > 0;
}

bool en_hoststore_allowed(void)
{
    const char *v = getenv("SQUASHNIX_NO_HOST_STORE");

    return v == NULL || v[0] == '\0' || strcmp(v, "0") == 0;
}
