/* libFuzzer harness: the --nix-builder option reader (bundler/nix_builder.c), which turns a
 * derivation's .attrs.json (written by Nix from user-supplied mkAppImage arguments) into
 * command-line words, and the command-line parser they then go through (bundler/options.c), as
 * `squashnix --nix-builder` does. Any document must give options or an error, never a crash, a
 * leak or undefined behaviour.
 * sources: bundler/nix_builder.c bundler/options.c bundler/squashfs/compressor.c bundler/error.c
 */
#include <stddef.h>
#include <stdint.h>

#include "nix_builder.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct nix_builder_args a;
    struct sn_options o;
    struct sn_error err;

    if (nix_builder_args("/build/.attrs.json", (const char *)data, size, "2", &a, &err) < 0)
        return 0;
    if (options_parse(a.argc, a.argv, &o, &err) == 0)
        options_free(&o);
    nix_builder_args_free(&a);
    return 0;
}
