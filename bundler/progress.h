/* The progress bar shown on a terminal while the image is written (bytes done, rate, ETA), and
 * human-readable sizes for the summary line. The one bundler module that writes to a stream: the
 * stream is the caller's (main passes stderr only when it is a terminal). */
#ifndef SQUASHNIX_PROGRESS_H
#define SQUASHNIX_PROGRESS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress;

/* A progress bar drawn on OUT (redrawn at most 10 times a second). */
struct progress *progress_new(FILE *out);

/* Redraws the bar; the signature of struct sqw_options' progress callback (CTX: the progress). */
void progress_update(void *ctx, uint64_t done, uint64_t total);

/* Erases the bar's line and frees P (NULL is fine). */
void progress_free(struct progress *p);

/* BYTES as "512 B", "1.5 KiB", "23.4 MiB", "1.20 GiB" into BUF. */
void progress_size(uint64_t bytes, char *buf, size_t len);

/* Seconds since an arbitrary start, monotonic. */
double progress_now(void);

#endif
