/* Running GnuPG's `gpg` for AppImage signatures: fork/exec with an argument vector (no shell),
 * inside a private working directory (mkdtemp, mode 0700) that holds the files gpg reads and
 * writes and, for verification, a throwaway GNUPGHOME. Signing uses the caller's keyring (GNUPGHOME
 * or ~/.gnupg, as gpg itself decides). Library code: never prints or exits. */
#ifndef SQUASHNIX_GPG_H
#define SQUASHNIX_GPG_H

#include <stddef.h>

#include "error.h"

struct gpg;

enum gpg_keyring {
    GPG_KEYRING_USER,    /* the caller's: GNUPGHOME, else ~/.gnupg */
    GPG_KEYRING_PRIVATE, /* an empty one inside the working directory, removed with it */
};

/* Creates the working directory (under TMPDIR, else /tmp) for one signing or verification. */
int gpg_open(enum gpg_keyring keyring, struct gpg **out, struct sn_error *err);

/* The path of NAME inside the working directory (valid until the next call or gpg_close). */
const char *gpg_path(struct gpg *g, const char *name);

/* Creates the file NAME (mode 0600, never an existing one) in the working directory with LEN
 * bytes of DATA. */
int gpg_write_file(struct gpg *g, const char *name, const void *data, size_t len,
                   struct sn_error *err);

/* Reads the file NAME of the working directory into a malloc'd, NUL-terminated *DATA. More than MAX
 * bytes is an error naming WHAT. */
int gpg_read_file(struct gpg *g, const char *name, const char *what, size_t max, char **data,
                  size_t *len, struct sn_error *err);

/* Runs `gpg --batch --no-tty --status-fd 1 [--homedir PRIVATE] ARGS...` (ARGS NULL-terminated)
 * with the working directory as its current directory (ARGS name its files relative), stdin from
 * /dev/null; waits. *EXIT_CODE is its exit status (128 + signal number when killed). Its status
 * lines ("[GNUPG:] ...") are then gpg_status(G) and the end of its standard error gpg_stderr(G).
 * Only failing to run gpg at all is an error. */
int gpg_run(struct gpg *g, const char *const *args, int *exit_code, struct sn_error *err);

/* The status lines of the last gpg_run ("" if none). */
const char *gpg_status(const struct gpg *g);

/* The last lines of the standard error of the last gpg_run, on one line ("" if none). */
const char *gpg_stderr(const struct gpg *g);

/* Removes the working directory with everything in it, and frees G. */
void gpg_close(struct gpg *g);

#endif
