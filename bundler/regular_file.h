/* Opening an input that must be a regular file (a runtime, an entry, an icon, a bundle to inspect).
 */
#ifndef SQUASHNIX_REGULAR_FILE_H
#define SQUASHNIX_REGULAR_FILE_H

#include "error.h"

/* Opens PATH read-only (O_CLOEXEC) and returns the descriptor, or -1 with ERR naming WHAT and PATH.
 * Never blocks: a FIFO or a device is opened O_NONBLOCK, found not to be a regular file and
 * refused; the flag is cleared again for a regular file. */
int regular_file_open(const char *path, const char *what, struct sn_error *err);

#endif
