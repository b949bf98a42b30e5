/* SQUASHNIX_DEBUG=1: the entry traces each step on stderr. Tracing is the one output library code
 * of the entry makes, because its purpose is to show the steps as they happen. */
#ifndef SQUASHNIX_ENTRY_DEBUG_H
#define SQUASHNIX_ENTRY_DEBUG_H

#include <stdbool.h>

/* Reads SQUASHNIX_DEBUG once: tracing is on when it is set and not empty nor "0". */
void en_debug_init(void);

/* Whether tracing is on. */
bool en_debug_on(void);

/* Writes "squashnix: AppRun: debug: MESSAGE\n" to stderr when tracing is on. */
void en_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
