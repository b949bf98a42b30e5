/* libFuzzer harness: the closure reader, as a path-info document and as an .attrs.json document.
 * Any input must give either a closure or an error, never a crash, a leak or undefined behaviour.
 * sources: bundler/closure.c bundler/error.c
 */
#include <stddef.h>
#include <stdint.h>

#include "closure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {NULL, "closure"};
    struct sn_error err;

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        struct closure *c = NULL;

        if (closure_parse((const char *)data, size, keys[i], &c, &err) == 0) {
            for (size_t j = 0; j < closure_count(c); j++)
                (void)closure_find(c, closure_at(c, j)->path);
            closure_free(c);
        }
    }
    return 0;
}
