/* Test driver for the closure reader and the Nix query: prints a parsed closure.
 *
 *   closure-dump FILE [ATTRS_KEY]    parse FILE (path-info JSON, or .attrs.json under ATTRS_KEY)
 *   closure-dump --nix PATH...       ask the local Nix (nix_path_info), then parse
 *   closure-dump --raw-nix PATH...   print nix_path_info's output unparsed
 *
 * Output: one line per store path "PATH NAR_SIZE", its references below it as "  -> REF", then
 * "count N" and "nar-total N". Errors go to stderr with exit status 1. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "closure.h"
#include "nix_query.h"

static int read_file(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rbe");
    size_t cap = 65536;

    if (!f) {
        perror(path);
        return -1;
    }
    *len = 0;
    *buf = malloc(cap);
    while (*buf) {
        size_t got = fread(*buf + *len, 1, cap - *len, f);
        *len += got;
        if (got == 0)
            break;
        if (*len == cap) {
            char *p = realloc(*buf, cap * 2);
            if (!p) {
                free(*buf);
                *buf = NULL;
                break;
            }
            *buf = p;
            cap *= 2;
        }
    }
    if (!*buf || ferror(f)) {
        fprintf(stderr, "closure-dump: cannot read %s\n", path);
        free(*buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

static void print_closure(const struct closure *c)
{
    for (size_t i = 0; i < closure_count(c); i++) {
        const struct closure_entry *e = closure_at(c, i);
        printf("%s %" PRIu64 "\n", e->path, e->nar_size);
        for (size_t j = 0; j < e->n_refs; j++)
            printf("  -> %s\n", e->refs[j]);
    }
    printf("count %zu\nnar-total %" PRIu64 "\n", closure_count(c), closure_nar_total(c));
}

int main(int argc, char **argv)
{
    struct sn_error err = {0};
    struct closure *c = NULL;
    char *buf = NULL;
    size_t len = 0;
    int nix = argc > 1 && strcmp(argv[1], "--nix") == 0;
    int raw = argc > 1 && strcmp(argv[1], "--raw-nix") == 0;

    if (argc < 2) {
        fprintf(stderr,
                "usage: closure-dump FILE [ATTRS_KEY] | --nix PATH... | --raw-nix PATH...\n");
        return 2;
    }
    if (nix || raw) {
        if (nix_path_info((const char *const *)argv + 2, (size_t)argc - 2, &buf, &len, &err) < 0)
            goto fail;
        if (raw) {
            fwrite(buf, 1, len, stdout);
            free(buf);
            return 0;
        }
    } else if (read_file(argv[1], &buf, &len) < 0) {
        return 1;
    }
    if (closure_parse(buf, len, (!nix && argc > 2) ? argv[2] : NULL, &c, &err) < 0)
        goto fail;
    print_closure(c);
    closure_free(c);
    free(buf);
    return 0;
fail:
    fprintf(stderr, "closure-dump: %s\n", err.msg);
    free(buf);
    return 1;
}
