/* The output file, written atomically: a temporary file beside the destination (created with
 * O_EXCL|O_CLOEXEC, mode 0600 while written), renamed over the destination only when complete.
 * Until then the destination is untouched, and failure, SIGINT, SIGTERM or SIGHUP remove the
 * temporary file. Library code: never prints or exits (the signal handler re-raises the signal). */
#ifndef SQUASHNIX_OUTPUT_H
#define SQUASHNIX_OUTPUT_H

#include <sys/types.h>

#include "error.h"

struct output;

/* Installs the handlers that remove an open output's temporary file on SIGINT, SIGTERM and SIGHUP
 * and then die of the signal. */
int output_install_signal_handlers(struct sn_error *err);

/* Creates the temporary file for DEST. One output may be open at a time. */
int output_open(const char *dest, struct output **out, struct sn_error *err);

/* The temporary file's descriptor (read-write). */
int output_fd(const struct output *o);

/* Syncs the file, sets MODE and renames it to its destination. Frees O in every case; on failure
 * the temporary file is removed and the destination untouched. */
int output_commit(struct output *o, mode_t mode, struct sn_error *err);

/* Removes the temporary file and frees O. */
void output_abort(struct output *o);

#endif
