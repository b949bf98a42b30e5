/* libFuzzer harness: the command-line parsers, the bundler's (bundler/options.c, which
 * --nix-builder also feeds with words from .attrs.json) and the runtime's (runtime/args.c).
 * The input is split at NUL bytes into words after the program name. Any command line must give
 * options or an error, never a crash, a leak or undefined behaviour.
 * sources: bundler/options.c bundler/squashfs/compressor.c bundler/error.c
 * sources: runtime/args.c runtime/rt_error.c
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "args.h"

#define MAX_WORDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Splits a NUL-terminated copy of the input into argv (argv[0] "squashnix", argv[argc] NULL). */
static int split_words(char *copy, size_t size, char **argv)
{
    int argc = 1;

    argv[0] = "squashnix";
    for (size_t i = 0; i <= size && argc < MAX_WORDS; argc++) {
        argv[argc] = copy + i;
        i += strlen(copy + i) + 1;
    }
    argv[argc] = NULL;
    return argc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *argv[MAX_WORDS + 1];
    char *copy = malloc(size + 1);
    struct sn_options o;
    struct sn_error err;
    struct rt_options ro;
    struct rt_error rerr;
    uint64_t n;
    int argc;

    if (!copy)
        abort();
    memcpy(copy, data, size);
    copy[size] = '\0';
    argc = split_words(copy, size, argv);
    if (options_parse(argc, argv, &o, &err) == 0)
        options_free(&o);
    for (int i = 1; i < argc; i++)
        (void)options_parse_size(argv[i], &n);
    (void)rt_options_parse(argc, argv, &ro, &rerr);
    free(copy);
    return 0;
}
