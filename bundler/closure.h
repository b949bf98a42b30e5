/* The closure reader: parses what Nix says about a closure into a sorted, checked list of store
 * paths. Library code: it never prints or exits.
 *
 * Accepted documents (detected from the document itself):
 *   - `nix path-info --json --recursive` of every Nix version: <= 2.18 arrays of
 *     {path, references}, 2.19-2.32 objects keyed by store path (null for invalid paths),
 *     --json-format 1 (with "version"), --json-format 2 and 3 ({version, storeDir, info} keyed
 *     by base name);
 *   - `.attrs.json` from `exportReferencesGraph`, the closure under the key the caller names. */
#ifndef SQUASHNIX_CLOSURE_H
#define SQUASHNIX_CLOSURE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define CLOSURE_STORE_DIR "/nix/store"

struct closure;

struct closure_entry {
    const char *path;  /* full store path, e.g. /nix/store/<32 chars>-hello-2.12 */
    uint64_t nar_size; /* 0 when the document does not say */
    size_t n_refs;
    const char *const *refs; /* full store paths, sorted, each also an entry of the closure */
};

/* Parses BUF (LEN bytes). ATTRS_KEY: NULL for a path-info document, else the key of
 * exportReferencesGraph in an .attrs.json document. On success stores a new closure in *OUT and
 * returns 0; on failure returns -1 with ERR naming the offending entry: SN_ERR_INPUT for a bad
 * document, including one over the reader's limits (64 MiB, 32 levels of nesting, 4 Mi JSON
 * values, 512 Ki objects, 256 Ki store paths), which bound its memory; SN_ERR_NOMEM when out of
 * memory. */
int closure_parse(const char *buf, size_t len, const char *attrs_key, struct closure **out,
                  struct sn_error *err);

/* Number of store paths. */
size_t closure_count(const struct closure *c);

/* The I-th store path in sorted order (0 <= I < closure_count). */
const struct closure_entry *closure_at(const struct closure *c, size_t i);

/* The entry for PATH (a full store path), or NULL. */
const struct closure_entry *closure_find(const struct closure *c, const char *path);

/* Sum of the NAR sizes. */
uint64_t closure_nar_total(const struct closure *c);

void closure_free(struct closure *c);

/* Whether NAME is a valid store base name: 32 characters of Nix's base-32 alphabet, '-', then a
 * name of 1 to 211 characters of [A-Za-z0-9+-._?=] that is not "." or ".." and does not start
 * with ".-" or "..-" (Nix's own rule, checkName in libstore). */
int closure_valid_base_name(const char *name);

#endif
