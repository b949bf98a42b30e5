/* The output file, written atomically: a temporary file beside the destination (created with
 * O_EXCL|O_CLOEXEC, mode 0600 while written), renamed over the destination only when complete.
 * Until then the destination is untouched, and failure, SIGINT, SIGTERM or SIGHUP remove the
 * temporary file. Library code: never prints or exits (the signal handler re-raises the signal). */
#ifndef SQUASHNIX_OUTPUT_H
#define SQUASHNIX_OUTPUT_H

#include <sys/types.h>

#include "error.h"

struct output;

/* How many outputs may be open at once (a bundle and its release files). */
#define OUTPUT_MAX 4

/* Installs the handlers that remove an open output's temporary file on SIGINT, SIGTERM and SIGHUP
 * and then die of the signal. */
int output_install_signal_handlers(struct sn_error *err);

/* Creates the temporary file for DEST. Up to OUTPUT_MAX outputs may be open at a time. */
int output_open(const char *dest, struct output **out, struct sn_error *err);

/* The temporary file's descriptor (read-write). */
int output_fd(const struct output *o);

/* The destination path given to output_open. */
const char *output_dest(const struct output *o);

/* Sets MODE and syncs the temporary file, leaving it open: what output_commit does before its
 * rename, so that several outputs can be made durable before any of them is renamed. */
int output_sync(struct output *o, mode_t mode, struct sn_error *err);

/* Syncs the file, sets MODE and renames it to its destination. Frees O in every case; on failure
 * the temporary file is removed and the destination untouched. */
int output_commit(struct output *o, mode_t mode, struct sn_error *err);

/* Commits the N outputs OUTS together, OUTS[i] with mode MODES[i], in order: all are synced, then
 * renamed into place one by one; if one fails, those already in place are undone (the previous
 * files are back where file systems support RENAME_EXCHANGE, as ext4, xfs, btrfs and tmpfs do;
 * elsewhere a new file is removed). A directory at a destination is an error before anything
 * moves. Frees every output in every case; on failure no temporary file is left. */
int output_commit_group(struct output **outs, const mode_t *modes, int n, struct sn_error *err);

/* Removes the temporary file and frees O. */
void output_abort(struct output *o);

#endif
