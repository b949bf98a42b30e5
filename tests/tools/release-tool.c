/* Test driver for the release building blocks, until the squashnix command has their options.
 *
 *   release-tool zsync FILE [URL [BLOCKSIZE]]  write FILE.zsync (URL default: FILE's base name)
 *   release-tool sha256 FILE                   write FILE.sha256 (sha256sum format)
 *   release-tool digest FILE                   print the SHA-256 hex digest that signing signs
 *   release-tool sign FILE KEY_ID              sign the AppImage FILE in place with gpg
 *   release-tool verify FILE                   check FILE's signature; print the signer
 *
 * verify prints "signer: USER ID" and "fingerprint: FPR". Errors go to stderr with exit status 1;
 * usage errors exit 2. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appimage.h"
#include "sha256.h"
#include "signature.h"
#include "zsync.h"

static int usage(void)
{
    fprintf(stderr, "usage: release-tool zsync FILE [URL [BLOCKSIZE]] | sha256 FILE | digest FILE"
                    " | sign FILE KEY_ID | verify FILE\n");
    return 2;
}

static int fail(const struct sn_error *err)
{
    fprintf(stderr, "release-tool: %s\n", err->msg);
    return 1;
}

static int open_file(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        fprintf(stderr, "release-tool: cannot open %s: %s\n", path, strerror(errno));
    return fd;
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

static int cmd_digest(const char *file, struct sn_error *err)
{
    int fd = open_file(file, O_RDONLY);
    if (fd < 0)
        return 1;
    struct appimage_layout l;
    char hex[SHA256_HEX_LEN + 1];
    int rc =
        appimage_read_layout(fd, file, &l, err) < 0 || signature_digest(fd, &l, file, hex, err) < 0;
    close(fd);
    if (rc)
        return fail(err);
    printf("%s\n", hex);
    return 0;
}

static int cmd_sign(const char *file, const char *key_id, struct sn_error *err)
{
    int fd = open_file(file, O_RDWR);
    if (fd < 0)
        return 1;
    int rc = signature_sign(fd, file, key_id, err);
    if (close(fd) < 0 && rc == 0)
        rc = sn_error_errno(err, errno, "cannot close %s", file);
    return rc < 0 ? fail(err) : 0;
}

static int cmd_verify(const char *file, struct sn_error *err)
{
    int fd = open_file(file, O_RDONLY);
    if (fd < 0)
        return 1;
    struct signature_info info;
    int rc = signature_verify(fd, file, &info, err);
    close(fd);
    if (rc < 0)
        return fail(err);
    printf("signer: %s\nfingerprint: %s\n", info.signer, info.fingerprint);
    return 0;
}

int main(int argc, char **argv)
{
    struct sn_error err = {0};
    if (argc < 3)
        return usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "zsync") == 0 && argc <= 5)
        return cmd_zsync(argc, argv, &err);
    if (strcmp(cmd, "sha256") == 0 && argc == 3)
        return sha256_write_checksum_file(argv[2], &err) < 0 ? fail(&err) : 0;
    if (strcmp(cmd, "digest") == 0 && argc == 3)
        return cmd_digest(argv[2], &err);
    if (strcmp(cmd, "sign") == 0 && argc == 4)
        return cmd_sign(argv[2], argv[3], &err);
    if (strcmp(cmd, "verify") == 0 && argc == 3)
        return cmd_verify(argv[2], &err);
    return usage();
}
