/* AppImage signatures, as appimagetool makes them and AppImage's validate tool checks them: the
 * SHA-256 of the whole file with .sha256_sig and .sig_key read as zeros, written as 64 lowercase
 * hex digits (no newline), is signed by gpg with a detached ASCII-armoured signature that goes
 * into .sha256_sig; the signer's public key, ASCII-armoured, goes into .sig_key. Both sections
 * stay NUL-terminated. Library code: never prints or exits. */
#ifndef SQUASHNIX_SIGNATURE_H
#define SQUASHNIX_SIGNATURE_H

#include "appimage.h"
#include "error.h"
#include "sha256.h"

/* Who signed a file, as gpg reports it. */
struct signature_info {
    char signer[512];     /* the key's user id, e.g. "Release Bot <bot@example.org>" */
    char fingerprint[64]; /* the primary key's fingerprint, hex */
};

/* The text that is signed: the SHA-256 of FD with .sha256_sig and .sig_key read as zeros (its
 * other bytes as they are, .digest_md5 and .upd_info included), as lowercase hex. */
int signature_digest(int fd, const struct appimage_layout *l, const char *name,
                     char hex[SHA256_HEX_LEN + 1], struct sn_error *err);

/* Signs the AppImage FD (open read-write; NAME is used in messages) with the gpg key KEY_ID
 * (anything gpg --local-user takes) from the caller's keyring (GNUPGHOME, else ~/.gnupg), and
 * writes the signature and the public key into .sha256_sig and .sig_key. Call it after
 * everything else in the file is final (update information and .digest_md5 included: both are
 * covered by the signature) and before the .zsync and .sha256 files are made (the signature
 * changes the file). gpg must not need to prompt: a key without passphrase, or one its agent has
 * cached. A signature or key too large for its section is an error naming both sizes; on any
 * error the file is unchanged. */
int signature_sign(int fd, const char *name, const char *key_id, struct sn_error *err);

/* Checks the signature in FD against the public key in its .sig_key (imported into a throwaway
 * keyring) and fills INFO with who signed. An unsigned file, a bad signature or one made by
 * another key is an SN_ERR_INPUT error saying which. This proves the file is unchanged since the
 * holder of that key signed it; whether that key is the one you trust is for the caller to check
 * from INFO->fingerprint. */
int signature_verify(int fd, const char *name, struct signature_info *info, struct sn_error *err);

#endif
