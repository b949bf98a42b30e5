/* The squashnix command line: parsed into a struct sn_options, checked, never acted upon. Library
 * code: it never prints or exits (usage and version texts are returned as strings). */
#ifndef SQUASHNIX_OPTIONS_H
#define SQUASHNIX_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "squashfs/writer.h"

enum sn_mode {
    SN_MODE_BUNDLE,      /* squashnix [OPTIONS] STORE_PATH... (or --closure, --appdir) */
    SN_MODE_INSPECT,     /* squashnix inspect FILE */
    SN_MODE_VERIFY,      /* squashnix verify FILE */
    SN_MODE_NIX_BUILDER, /* squashnix --nix-builder: a Nix derivation's builder */
    SN_MODE_HELP,
    SN_MODE_VERSION,
};

struct sn_options {
    enum sn_mode mode;
    const char **store_paths; /* positional arguments (bundle mode) */
    size_t n_store_paths;
    const char *inspect_file;
    const char *verify_file;
    const char *closure_file; /* "-" for standard input */
    const char *closure_key;  /* .attrs.json key, NULL for a path-info document */
    const char *appdir;
    int dry_run;
    const char *output;
    const char *runtime;
    const char *entry;
    const char *program;
    const char **excludes;
    size_t n_excludes;
    const char *desktop_file;
    const char *icon;
    const char *update_info;
    const char *sign_key;      /* --sign KEY_ID, or NULL */
    const char *release_name;  /* --release-name NAME, or NULL: the output's base name */
    const char *zsync_output;  /* where the .zsync goes (--zsync: NULL, beside the output) */
    const char *sha256_output; /* where the .sha256 goes (--sha256: NULL, beside the output) */
    int zsync;                 /* --zsync or --zsync-output */
    int sha256;                /* --sha256 or --sha256-output */
    enum sqw_compressor compressor;
    int level;           /* < 0: the compressor's default */
    uint32_t block_size; /* 0: the writer's default */
    unsigned jobs;       /* 0: online CPUs */
    int quiet;
    int verbose;
};

/* Parses ARGV (ARGC words, ARGV[0] the program name; the strings must outlive OUT). On success
 * fills OUT (release with options_free) and returns 0; on a usage error returns -1 with an
 * SN_ERR_INPUT error naming the option and value. */
int options_parse(int argc, char *const *argv, struct sn_options *out, struct sn_error *err);

/* Parses a size: bytes, or a number with a K or M suffix (binary: 128K = 131072). */
int options_parse_size(const char *s, uint64_t *out);

void options_free(struct sn_options *o);

/* The --help text. */
const char *options_usage(void);

#endif
