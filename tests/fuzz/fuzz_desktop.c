/* libFuzzer harness: the .desktop reader (bundler/desktop.c), which reads the desktop file a
 * package ships, a file the bundler did not write. Any text must give a value or "absent", never
 * a crash or undefined behaviour, and the value always fits the buffer, NUL-terminated.
 * sources: bundler/desktop.c bundler/regular_file.c bundler/error.c
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "desktop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const keys[] = {"Icon", "Exec", "Name", "Type", ""};
    char *text = malloc(size + 1);
    char buf[16];

    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        memset(buf, 'x', sizeof(buf));
        if (desktop_entry_value(text, keys[i], buf, sizeof(buf)) == 0 &&
            memchr(buf, '\0', sizeof(buf)) == NULL)
            abort(); /* the value was not terminated inside the buffer */
    }
    free(text);
    return 0;
}
