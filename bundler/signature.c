/* Signing and verifying the .sha256_sig and .sig_key sections of an AppImage with gpg. */
#include "signature.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_digest.h"
#include "gpg.h"

/* Larger than any section, so that an oversized signature or key is reported with its size. */
#define SIGNATURE_READ_MAX (1 << 20)

static void sha256_feed(void *ctx, const void *data, size_t len)
{
    sha256_update(ctx, data, len);
}

int signature_digest(int fd, const struct appimage_layout *l, const char *name,
                     char hex[SHA256_HEX_LEN + 1], struct sn_error *err)
{
    const struct byte_range blank[] = {
        {l->offset[APPIMAGE_SHA256_SIG],
         l->offset[APPIMAGE_SHA256_SIG] + l->size[APPIMAGE_SHA256_SIG]},
        {l->offset[APPIMAGE_SIG_KEY], l->offset[APPIMAGE_SIG_KEY] + l->size[APPIMAGE_SIG_KEY]},
    };
    unsigned char digest[SHA256_DIGEST_LEN];
    struct sha256_ctx ctx;

    sha256_init(&ctx);
    if (file_digest(fd, name, blank, 2, sha256_feed, &ctx, err) < 0)
        return -1;
    sha256_final(&ctx, digest);
    sha256_hex(digest, hex);
    return 0;
}

/* The rest of the status line "[GNUPG:] KEYWORD ...", up to its newline, into OUT; -1 if none. */
static int status_value(const char *status, const char *keyword, char *out, size_t len)
{
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "[GNUPG:] %s ", keyword);
    for (const char *line = status; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t line_len = end ? (size_t)(end - line) : strlen(line);
        size_t plen = strlen(prefix);
        if (line_len >= plen && strncmp(line, prefix, plen) == 0) {
            size_t n = line_len - plen < len - 1 ? line_len - plen : len - 1;
            memcpy(out, line + plen, n);
            out[n] = '\0';
            return 0;
        }
        line = end ? end + 1 : NULL;
    }
    return -1;
}

/* Copies SRC into DST (LEN bytes), cut short if needed. */
static void copy_text(char *dst, size_t len, const char *src)
{
    size_t n = strnlen(src, len - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The last space-separated field of S. */
static const char *last_field(const char *s)
{
    const char *sp = strrchr(s, ' ');
    return sp ? sp + 1 : s;
}

/* Signs the file "digest" into "digest.asc"; FPR receives the signing key's fingerprint. */
static int make_signature(struct gpg *g, const char *key_id, char *fpr, size_t fpr_len,
                          struct sn_error *err)
{
    const char *args[] = {"--armor",  "--detach-sign", "--local-user", key_id,
                          "--output", "digest.asc",    "digest",       NULL};
    int code;
    if (gpg_run(g, args, &code, err) < 0)
        return -1;
    char created[256];
    if (code != 0 || status_value(gpg_status(g), "SIG_CREATED", created, sizeof(created)) < 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "gpg could not sign with key %s (exit status %d): %s; check `gpg "
                            "--list-secret-keys %s` (GNUPGHOME selects the keyring)",
                            key_id, code, gpg_stderr(g), key_id);
    copy_text(fpr, fpr_len, last_field(created));
    return 0;
}

/* Exports the public key FPR, armoured and minimal (no third-party certifications), to "key.asc".
 */
static int export_key(struct gpg *g, const char *key_id, const char *fpr, struct sn_error *err)
{
    const char *args[] = {
        "--armor", "--export-options", "export-minimal", "--output", "key.asc", "--export", fpr,
        NULL};
    int code;
    if (gpg_run(g, args, &code, err) < 0)
        return -1;
    if (code != 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "gpg could not export the public key of %s (exit status %d): %s",
                            key_id, code, gpg_stderr(g));
    return 0;
}

/* Reads the gpg output file FILE meant for section S of FD and checks that it fits with a NUL. */
static int read_for_section(struct gpg *g, const char *file, const char *what,
                            const struct appimage_layout *l, enum appimage_section s, char **data,
                            size_t *len, struct sn_error *err)
{
    if (gpg_read_file(g, file, what, SIGNATURE_READ_MAX, data, len, err) < 0)
        return -1;
    if (*len == 0)
        return sn_error_set(err, SN_ERR_INPUT, "gpg wrote an empty %s", what);
    if (*len >= l->size[s])
        return sn_error_set(err, SN_ERR_INPUT,
                            "the %s is %zu bytes: it does not fit in %s (%llu bytes, at most "
                            "%llu used); use a smaller key (e.g. ed25519)",
                            what, *len, appimage_section_name(s), (unsigned long long)l->size[s],
                            (unsigned long long)l->size[s] - 1);
    return 0;
}

/* Writes LEN bytes of DATA into section S of FD, zero-padded to the section's size. */
static int write_section(int fd, const struct appimage_layout *l, enum appimage_section s,
                         const char *name, const char *data, size_t len, struct sn_error *err)
{
    char *buf = calloc(1, l->size[s]);
    if (!buf)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    memcpy(buf, data, len);
    size_t done = 0;
    while (done < l->size[s]) {
        ssize_t n = pwrite(fd, buf + done, l->size[s] - done, (off_t)(l->offset[s] + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            return sn_error_errno(err, e, "cannot write %s of %s", appimage_section_name(s), name);
        }
        done += (size_t)n;
    }
    free(buf);
    return 0;
}

static int check_key_id(const char *key_id, struct sn_error *err)
{
    if (!key_id || !*key_id || strpbrk(key_id, "\r\n"))
        return sn_error_set(err, SN_ERR_INPUT,
                            "signing key [%s]: give a gpg key id, fingerprint or user id",
                            key_id ? key_id : "");
    return 0;
}

/* Produces the signature and the public key in G's directory, both checked to fit. */
static int sign_in(struct gpg *g, const struct appimage_layout *l, const char *hex,
                   const char *key_id, char **sig, size_t *sig_len, char **key, size_t *key_len,
                   struct sn_error *err)
{
    char fpr[256];
    if (gpg_write_file(g, "digest", hex, SHA256_HEX_LEN, err) < 0 ||
        make_signature(g, key_id, fpr, sizeof(fpr), err) < 0 || export_key(g, key_id, fpr, err) < 0)
        return -1;
    if (read_for_section(g, "digest.asc", "signature", l, APPIMAGE_SHA256_SIG, sig, sig_len, err) <
        0)
        return -1;
    return read_for_section(g, "key.asc", "public key", l, APPIMAGE_SIG_KEY, key, key_len, err);
}

int signature_sign(int fd, const char *name, const char *key_id, struct sn_error *err)
{
    struct appimage_layout l;
    char hex[SHA256_HEX_LEN + 1];
    if (check_key_id(key_id, err) < 0 || appimage_read_layout(fd, name, &l, err) < 0 ||
        signature_digest(fd, &l, name, hex, err) < 0)
        return -1;
    struct gpg *g;
    if (gpg_open(GPG_KEYRING_USER, &g, err) < 0)
        return -1;
    char *sig = NULL, *key = NULL;
    size_t sig_len = 0, key_len = 0;
    int rc = sign_in(g, &l, hex, key_id, &sig, &sig_len, &key, &key_len, err);
    gpg_close(g);
    /* Nothing is written until both are ready, so that a failure leaves the file unchanged. */
    if (rc == 0)
        rc = write_section(fd, &l, APPIMAGE_SHA256_SIG, name, sig, sig_len, err);
    if (rc == 0)
        rc = write_section(fd, &l, APPIMAGE_SIG_KEY, name, key, key_len, err);
    free(sig);
    free(key);
    return rc;
}

/* Reads section S of FD as a NUL-terminated string into the malloc'd *OUT. */
static int read_text_section(int fd, const struct appimage_layout *l, enum appimage_section s,
                             char **out, size_t *len, struct sn_error *err)
{
    char *buf = calloc(1, l->size[s] + 1);
    if (!buf)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    if (appimage_read_section(fd, l, s, buf, l->size[s], err) < 0) {
        free(buf);
        return -1;
    }
    *out = buf;
    *len = strlen(buf);
    return 0;
}

/* Interprets gpg --verify's status lines. */
static int check_verdict(struct gpg *g, int code, const char *name, struct signature_info *info,
                         struct sn_error *err)
{
    const char *status = gpg_status(g);
    char line[1024];
    if (status_value(status, "BADSIG", line, sizeof(line)) == 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s: BAD signature: the file was changed after it was signed", name);
    if (status_value(status, "ERRSIG", line, sizeof(line)) == 0 ||
        status_value(status, "NO_PUBKEY", line, sizeof(line)) == 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s: the signature was not made by the key in .sig_key (%s)", name,
                            line);
    char valid[1024];
    if (code != 0 || status_value(status, "GOODSIG", line, sizeof(line)) < 0 ||
        status_value(status, "VALIDSIG", valid, sizeof(valid)) < 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s: gpg could not check the signature (exit status %d): %s", name,
                            code, gpg_stderr(g));
    /* GOODSIG <long key id> <user id>; VALIDSIG <fpr> ... <primary key fpr>. */
    const char *uid = strchr(line, ' ');
    copy_text(info->signer, sizeof(info->signer), uid ? uid + 1 : "");
    copy_text(info->fingerprint, sizeof(info->fingerprint), last_field(valid));
    return 0;
}

/* Imports KEY into G's private keyring and verifies SIG over HEX there. */
static int verify_in(struct gpg *g, const char *name, const char *hex, const char *sig,
                     size_t sig_len, const char *key, size_t key_len, struct signature_info *info,
                     struct sn_error *err)
{
    if (gpg_write_file(g, "digest", hex, SHA256_HEX_LEN, err) < 0 ||
        gpg_write_file(g, "sig.asc", sig, sig_len, err) < 0 ||
        gpg_write_file(g, "key.asc", key, key_len, err) < 0)
        return -1;
    const char *import[] = {"--import", "key.asc", NULL};
    int code;
    if (gpg_run(g, import, &code, err) < 0)
        return -1;
    if (code != 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s: the public key in .sig_key cannot be imported (gpg exit status "
                            "%d): %s",
                            name, code, gpg_stderr(g));
    const char *verify[] = {"--verify", "sig.asc", "digest", NULL};
    if (gpg_run(g, verify, &code, err) < 0)
        return -1;
    return check_verdict(g, code, name, info, err);
}

int signature_verify(int fd, const char *name, struct signature_info *info, struct sn_error *err)
{
    struct appimage_layout l;
    char *sig = NULL, *key = NULL;
    size_t sig_len = 0, key_len = 0;
    char hex[SHA256_HEX_LEN + 1];
    int rc = -1;
    if (appimage_read_layout(fd, name, &l, err) < 0 ||
        read_text_section(fd, &l, APPIMAGE_SHA256_SIG, &sig, &sig_len, err) < 0 ||
        read_text_section(fd, &l, APPIMAGE_SIG_KEY, &key, &key_len, err) < 0)
        goto out;
    if (sig_len == 0) {
        sn_error_set(err, SN_ERR_INPUT, "%s is not signed (its .sha256_sig section is empty)",
                     name);
        goto out;
    }
    if (key_len == 0) {
        sn_error_set(err, SN_ERR_INPUT,
                     "%s: .sig_key holds no public key to check the signature with", name);
        goto out;
    }
    if (signature_digest(fd, &l, name, hex, err) < 0)
        goto out;
    struct gpg *g;
    if (gpg_open(GPG_KEYRING_PRIVATE, &g, err) < 0)
        goto out;
    rc = verify_in(g, name, hex, sig, sig_len, key, key_len, info, err);
    gpg_close(g);
out:
    free(sig);
    free(key);
    return rc;
}
