/* Test driver for the zsync and sha256 modules on any file and block size: what the squashnix
 * command does not reach (it describes only its own bundles, at the default block size), for
 * tests/integration/test_release_zsyncmake.sh and tests/bench/release.sh.
 *
 *   release-tool zsync FILE [URL [BLOCKSIZE]]  write FILE.zsync (URL default: FILE's base name)
 *   release-tool sha256 FILE                   write FILE.sha256 (sha256sum format)
 *
 * Errors go to stderr with exit status 1; usage errors exit 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "zsync.h"

static int usage(void)
{
    fprintf(stderr, "usage: release-tool zsync FILE [URL [BLOCKSIZE]] | sha256 FILE\n");
    return 2;
}

static int fail(const struct sn_error *err)
{
    fprintf(stderr, "release-tool: %s\n", err->msg);
    return 1;
}

static int cmd_zsync(int argc, char **argv, struct sn_error *err)
{
    size_t blocksize = 0;
    if (argc > 4) {
        char *end;
        blocksize = strtoul(argv[4], &end, 10);
        if (*end)
            return usage();
    }
    if (zsync_write_file(argv[2], argc > 3 ? argv[3] : NULL, blocksize, err) < 0)
        return fail(err);
    return 0;
}

int main(int argc, char **argv)
{
    struct sn_error err = {0};
    if (argc < 3)
        return usage();
    if (strcmp(argv[1], "zsync") == 0 && argc <= 5)
        return cmd_zsync(argc, argv, &err);
    if (strcmp(argv[1], "sha256") == 0 && argc == 3)
        return sha256_write_checksum_file(argv[2], &err) < 0 ? fail(&err) : 0;
    return usage();
}
