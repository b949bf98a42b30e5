/* The closure reader: every JSON form Nix uses to describe a closure, parsed with jansson into a
 * sorted, checked, closed list of store paths. See closure.h and docs/design.md. */
#include "closure.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds on what a document may cost before jansson builds it. A real closure (a NixOS system:
 * a few thousand paths, tens of references each) is a few MiB and well under 10^6 values; these
 * limits are ten to a hundred times that, and keep a hostile document from exhausting memory. */
#define CLOSURE_MAX_DOC     ((size_t)64 << 20)
#define CLOSURE_MAX_VALUES  ((size_t)4 << 20)
#define CLOSURE_MAX_DEPTH   32
#define CLOSURE_MAX_ENTRIES ((size_t)1 << 18)
/* Each store path is one JSON object, plus an object or two inside it in the newest forms
 * ("ca", signatures). Counted before parsing, so that a document of a million tiny entries is
 * refused before jansson spends hundreds of MiB on it. */
#define CLOSURE_MAX_OBJECTS (2 * CLOSURE_MAX_ENTRIES)

#define HASH_LEN     32
#define NAME_MAX_LEN 211 /* Nix's StorePath::MaxPathLen, a limit on the name after the hash */
#define NIX_BASE32   "0123456789abcdfghijklmnpqrsvwxyz"
#define STORE_PREFIX CLOSURE_STORE_DIR "/"
#define QUOTE_MAX    256 /* characters of a document's string shown in an error message */
#define QUOTE_BUF    (QUOTE_MAX * 4 + 8)

#define WHY_NIX_STORE                                                                              \
    "only " CLOSURE_STORE_DIR " is supported: the store paths are written into the programs "      \
    "and libraries of the closure, which look them up there"

struct closure {
    size_t n;
    struct closure_entry *entries; /* sorted by path */
    char **paths;                  /* owned path strings, entries[i].path == paths[i] */
    const char **refs;             /* all references, each entry's a slice of it */
    uint64_t nar_total;
};

/* One entry as read from the document, before its references are resolved. */
struct raw_entry {
    char *path;
    uint64_t nar_size;
    json_t *refs;       /* borrowed from the document */
    int refs_are_bases; /* references are base names (version 2 and 3) */
};

struct reader {
    struct raw_entry *raw;
    size_t n, cap;
    struct sn_error *err;
};

/* Writes S into DST as a double-quoted string for an error message: non-printable bytes as \xNN,
 * cut at QUOTE_MAX characters, so that a hostile document cannot garble the user's terminal. */
static const char *quote(char *dst, size_t size, const char *s)
{
    size_t o = 0;
    size_t i;

    dst[o++] = '"';
    for (i = 0; s[i] && o + 8 < size && i < QUOTE_MAX; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
            o += (size_t)snprintf(dst + o, size - o, "\\x%02x", c);
        else
            dst[o++] = (char)c;
    }
    if (s[i])
        o += (size_t)snprintf(dst + o, size - o, "...");
    dst[o++] = '"';
    dst[o] = '\0';
    return dst;
}

static const char *type_name(json_t *v)
{
    if (!v)
        return "missing";
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "a JSON value";
}

static int valid_name(const char *name, size_t len)
{
    size_t i;

    if (len == 0 || len > NAME_MAX_LEN)
        return 0;
    /* Nix refuses "." and "..", alone or as the first dash-separated component. */
    if (name[0] == '.' && (len == 1 || name[1] == '-'))
        return 0;
    if (name[0] == '.' && name[1] == '.' && (len == 2 || name[2] == '-'))
        return 0;
    for (i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              strchr("+-._?=", c)))
            return 0;
    }
    return 1;
}

int closure_valid_base_name(const char *name)
{
    size_t i;

    for (i = 0; i < HASH_LEN; i++)
        if (!name[i] || !strchr(NIX_BASE32, name[i]))
            return 0;
    if (name[HASH_LEN] != '-')
        return 0;
    return valid_name(name + HASH_LEN + 1, strlen(name + HASH_LEN + 1));
}

/* Checks that PATH is a store path directly under /nix/store, telling a foreign store directory
 * (a valid base name elsewhere) apart from a path that is no store path at all. */
static int check_path(const char *path, const char *what, struct sn_error *err)
{
    char q[QUOTE_BUF];
    const char *slash = strrchr(path, '/');

    if (strncmp(path, STORE_PREFIX, strlen(STORE_PREFIX)) == 0) {
        const char *base = path + strlen(STORE_PREFIX);
        if (strchr(base, '/'))
            return sn_error_set(err, SN_ERR_INPUT,
                                "closure: %s %s is not directly under " CLOSURE_STORE_DIR, what,
                                quote(q, sizeof(q), path));
        if (!closure_valid_base_name(base))
            return sn_error_set(err, SN_ERR_INPUT,
                                "closure: %s %s is not a valid store path: expected " STORE_PREFIX
                                "<32 characters of Nix's base-32 alphabet>-<name of 1 to 211 "
                                "characters of A-Z a-z 0-9 + - . _ ? =>",
                                what, quote(q, sizeof(q), path));
        return 0;
    }
    if (path[0] == '/' && slash && slash != path && closure_valid_base_name(slash + 1))
        return sn_error_set(err, SN_ERR_INPUT,
                            "closure: %s %s is in another store directory; " WHY_NIX_STORE, what,
                            quote(q, sizeof(q), path));
    return sn_error_set(err, SN_ERR_INPUT,
                        "closure: %s %s is not a store path under " CLOSURE_STORE_DIR, what,
                        quote(q, sizeof(q), path));
}

static int check_store_dir(json_t *dir, const char *where, struct sn_error *err)
{
    char q[QUOTE_BUF];

    if (!json_is_string(dir))
        return sn_error_set(err, SN_ERR_INPUT, "closure: %s: \"storeDir\" is %s, expected a string",
                            where, type_name(dir));
    if (strcmp(json_string_value(dir), CLOSURE_STORE_DIR) != 0)
        return sn_error_set(err, SN_ERR_INPUT, "closure: %s: store directory %s: " WHY_NIX_STORE,
                            where, quote(q, sizeof(q), json_string_value(dir)));
    return 0;
}

/* Bounds the document's size, nesting depth, number of values and number of objects: a linear
 * scan before jansson allocates anything. Syntax is jansson's business; this only counts. Going
 * over a limit is bad input (SN_ERR_INPUT): no Nix closure document comes near them. */
static int check_bounds(const char *buf, size_t len, struct sn_error *err)
{
    size_t i, depth = 0, values = 1, objects = 0, line = 1;
    int in_string = 0;

    if (len > CLOSURE_MAX_DOC)
        return sn_error_set(err, SN_ERR_INPUT,
                            "closure: the document is %zu bytes, over the limit of %zu MiB", len,
                            CLOSURE_MAX_DOC >> 20);
    for (i = 0; i < len; i++) {
        char c = buf[i];
        if (c == '\n')
            line++;
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = 0;
            continue;
        }
        if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            values++;
            if (c == '{' && ++objects > CLOSURE_MAX_OBJECTS)
                return sn_error_set(err, SN_ERR_INPUT,
                                    "closure: the document has more than %zu objects (line %zu): "
                                    "more than %zu store paths, over the limit for a closure",
                                    CLOSURE_MAX_OBJECTS, line, CLOSURE_MAX_ENTRIES);
            if (++depth > CLOSURE_MAX_DEPTH)
                return sn_error_set(err, SN_ERR_INPUT,
                                    "closure: the document nests deeper than %d levels at line "
                                    "%zu; no Nix closure document does",
                                    CLOSURE_MAX_DEPTH, line);
        } else if (c == ']' || c == '}') {
            if (depth > 0)
                depth--;
        } else if (c == ',') {
            if (++values > CLOSURE_MAX_VALUES)
                return sn_error_set(err, SN_ERR_INPUT,
                                    "closure: the document has more than %zu JSON values (line "
                                    "%zu), over the limit for a closure",
                                    CLOSURE_MAX_VALUES, line);
        }
    }
    return 0;
}

/* Takes PATH (malloc'd, freed on failure) with the references and NAR size of OBJ. Each entry
 * of --json-format 1 to 3 may carry its own "storeDir" (Nix's tests/data/path-info show it). */
static int reader_add(struct reader *r, char *path, json_t *obj, int refs_are_bases)
{
    json_t *refs = json_object_get(obj, "references");
    json_t *size = json_object_get(obj, "narSize");
    json_t *dir = json_object_get(obj, "storeDir");
    char q[QUOTE_BUF];

    if (dir && check_store_dir(dir, path, r->err) < 0)
        goto fail;
    if (!json_is_array(refs)) {
        sn_error_set(r->err, SN_ERR_INPUT,
                     "closure: store path %s: \"references\" is %s, expected an array",
                     quote(q, sizeof(q), path), type_name(refs));
        goto fail;
    }
    if (size && (!json_is_integer(size) || json_integer_value(size) < 0)) {
        sn_error_set(r->err, SN_ERR_INPUT,
                     "closure: store path %s: \"narSize\" is %s, expected a non-negative integer",
                     quote(q, sizeof(q), path), type_name(size));
        goto fail;
    }
    if (r->n >= CLOSURE_MAX_ENTRIES) {
        sn_error_set(r->err, SN_ERR_INPUT, "closure: more than %zu store paths",
                     CLOSURE_MAX_ENTRIES);
        goto fail;
    }
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        struct raw_entry *raw;
        raw = realloc(r->raw, cap * sizeof(*raw));
        if (!raw) {
            sn_error_set(r->err, SN_ERR_NOMEM, "closure: out of memory");
            goto fail;
        }
        r->raw = raw;
        r->cap = cap;
    }
    r->raw[r->n++] = (struct raw_entry){
        .path = path,
        .nar_size = size ? (uint64_t)json_integer_value(size) : 0,
        .refs = refs,
        .refs_are_bases = refs_are_bases,
    };
    return 0;
fail:
    free(path);
    return -1;
}

static char *dup_or_err(const char *s, struct sn_error *err)
{
    char *d = strdup(s);
    if (!d)
        sn_error_set(err, SN_ERR_NOMEM, "closure: out of memory");
    return d;
}

static char *path_from_base(const char *base, struct sn_error *err)
{
    char *p = malloc(strlen(STORE_PREFIX) + strlen(base) + 1);
    if (!p) {
        sn_error_set(err, SN_ERR_NOMEM, "closure: out of memory");
        return NULL;
    }
    strcpy(p, STORE_PREFIX);
    strcat(p, base);
    return p;
}

/* Nix <= 2.18, and .attrs.json: [{"path": P, "references": [P...], "narSize": N}, ...]. */
static int read_array(struct reader *r, json_t *arr)
{
    size_t i;
    json_t *el;

    json_array_foreach(arr, i, el)
    {
        json_t *path = json_object_get(el, "path");
        json_t *valid = json_object_get(el, "valid");
        char what[64];
        char q[QUOTE_BUF];
        char *p;

        snprintf(what, sizeof(what), "entry %zu", i);
        if (!json_is_object(el))
            return sn_error_set(r->err, SN_ERR_INPUT, "closure: %s is %s, expected an object", what,
                                type_name(el));
        if (!json_is_string(path))
            return sn_error_set(r->err, SN_ERR_INPUT,
                                "closure: %s: \"path\" is %s, expected a string", what,
                                type_name(path));
        if (json_is_false(valid))
            return sn_error_set(r->err, SN_ERR_INPUT,
                                "closure: store path %s is not valid (not in the store): build it "
                                "first",
                                quote(q, sizeof(q), json_string_value(path)));
        if (check_path(json_string_value(path), "store path", r->err) < 0)
            return -1;
        p = dup_or_err(json_string_value(path), r->err);
        if (!p || reader_add(r, p, el, 0) < 0)
            return -1;
    }
    return 0;
}

/* Nix 2.19-2.32 and --json-format 1: {P: {"references": [P...], ...} or null, ...}. A top-level
 * "version" and "storeDir" are metadata, not paths; every path key starts with '/'. */
static int read_keyed(struct reader *r, json_t *obj)
{
    const char *key;
    json_t *val;
    char q[QUOTE_BUF];

    json_object_foreach(obj, key, val)
    {
        json_t *version;
        char *p;

        if (strcmp(key, "version") == 0 || strcmp(key, "storeDir") == 0)
            continue;
        if (check_path(key, "store path", r->err) < 0)
            return -1;
        if (json_is_null(val))
            return sn_error_set(r->err, SN_ERR_INPUT,
                                "closure: store path %s is not valid (null: not in the store): "
                                "build it first",
                                quote(q, sizeof(q), key));
        if (!json_is_object(val))
            return sn_error_set(r->err, SN_ERR_INPUT,
                                "closure: store path %s: its information is %s, expected an "
                                "object",
                                quote(q, sizeof(q), key), type_name(val));
        version = json_object_get(val, "version");
        if (version && !(json_is_integer(version) && json_integer_value(version) == 1))
            return sn_error_set(r->err, SN_ERR_INPUT,
                                "closure: store path %s: unsupported path-info version (not 1)",
                                quote(q, sizeof(q), key));
        p = dup_or_err(key, r->err);
        if (!p || reader_add(r, p, val, 0) < 0)
            return -1;
    }
    return 0;
}

/* --json-format 2 and 3: {"version": N, "storeDir": D, "info": {BASE: {...} or null, ...}}. */
static int read_info(struct reader *r, json_t *root)
{
    json_t *info = json_object_get(root, "info");
    json_t *dir = json_object_get(root, "storeDir");
    const char *key;
    json_t *val;
    char q[QUOTE_BUF];

    if (!dir)
        return sn_error_set(r->err, SN_ERR_INPUT,
                            "closure: the document has \"info\" but no \"storeDir\"");
    if (check_store_dir(dir, "the document", r->err) < 0)
        return -1;
    if (!json_is_object(info))
        return sn_error_set(r->err, SN_ERR_INPUT,
                            "closure: \"info\" is %s, expected an object keyed by base name",
                            type_name(info));
    json_object_foreach(info, key, val)
    {
        char *p;

        if (!closure_valid_base_name(key))
            return sn_error_set(r->err, SN_ERR_INPUT,
                                "closure: %s in \"info\" is not a valid store path base name: "
                                "expected <32 characters of Nix's base-32 alphabet>-<name of 1 to "
                                "211 characters of A-Z a-z 0-9 + - . _ ? =>",
                                quote(q, sizeof(q), key));
        if (json_is_null(val))
            return sn_error_set(r->err, SN_ERR_INPUT,
                                "closure: store path " STORE_PREFIX "%s is not valid (null: not in "
                                "the store): build it first",
                                key);
        if (!json_is_object(val))
            return sn_error_set(r->err, SN_ERR_INPUT,
                                "closure: store path " STORE_PREFIX "%s: its information is %s, "
                                "expected an object",
                                key, type_name(val));
        p = path_from_base(key, r->err);
        if (!p || reader_add(r, p, val, 1) < 0)
            return -1;
    }
    return 0;
}

static int read_versioned(struct reader *r, json_t *root)
{
    json_t *version = json_object_get(root, "version");
    json_t *info = json_object_get(root, "info");
    char text[64];

    if (json_is_integer(version) && json_integer_value(version) == 1 && !info) {
        json_t *dir = json_object_get(root, "storeDir");
        if (dir && check_store_dir(dir, "the document", r->err) < 0)
            return -1;
        return read_keyed(r, root);
    }
    if (json_is_integer(version) &&
        (json_integer_value(version) == 2 || json_integer_value(version) == 3))
        return read_info(r, root);
    if (json_is_integer(version))
        snprintf(text, sizeof(text), " %" JSON_INTEGER_FORMAT "%s", json_integer_value(version),
                 info ? " with \"info\"" : "");
    else if (json_is_string(version))
        snprintf(text, sizeof(text), ": the string \"%.30s\"", json_string_value(version));
    else
        snprintf(text, sizeof(text), ": %s", type_name(version));
    return sn_error_set(r->err, SN_ERR_INPUT,
                        "closure: unsupported path-info JSON version%s (squashnix reads version 1 "
                        "keyed by store path, and versions 2 and 3 with \"info\"; a newer "
                        "squashnix may read it)",
                        text);
}

static int read_attrs(struct reader *r, json_t *root, const char *key)
{
    json_t *graph = json_object_get(root, key);
    char q[QUOTE_BUF];

    if (!json_is_object(root))
        return sn_error_set(r->err, SN_ERR_INPUT, "closure: .attrs.json is %s, expected an object",
                            type_name(root));
    if (!graph)
        return sn_error_set(r->err, SN_ERR_INPUT,
                            "closure: .attrs.json has no key %s: set exportReferencesGraph.%s and "
                            "__structuredAttrs = true in the derivation",
                            quote(q, sizeof(q), key), key);
    if (json_is_array(graph))
        return read_array(r, graph);
    if (json_is_object(graph))
        return read_keyed(r, graph);
    return sn_error_set(
        r->err, SN_ERR_INPUT,
        "closure: .attrs.json: %s is %s, expected the array of exportReferencesGraph",
        quote(q, sizeof(q), key), type_name(graph));
}

static int read_document(struct reader *r, json_t *root, const char *attrs_key)
{
    if (attrs_key)
        return read_attrs(r, root, attrs_key);
    if (json_is_array(root))
        return read_array(r, root);
    if (json_object_get(root, "version") || json_object_get(root, "info"))
        return read_versioned(r, root);
    return read_keyed(r, root);
}

static int cmp_raw(const void *a, const void *b)
{
    return strcmp(((const struct raw_entry *)a)->path, ((const struct raw_entry *)b)->path);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_key_raw(const void *key, const void *elem)
{
    return strcmp(key, ((const struct raw_entry *)elem)->path);
}

static int check_duplicates(const struct reader *r)
{
    size_t i;
    char q[QUOTE_BUF];

    for (i = 1; i < r->n; i++)
        if (strcmp(r->raw[i - 1].path, r->raw[i].path) == 0)
            return sn_error_set(r->err, SN_ERR_INPUT, "closure: store path %s is listed twice",
                                quote(q, sizeof(q), r->raw[i].path));
    return 0;
}

/* Resolves one reference of E to the closure's own copy of the path, so that references need no
 * storage of their own and a reference outside the closure is caught. */
static const char *resolve_ref(const struct reader *r, const struct raw_entry *e, json_t *ref)
{
    char q[QUOTE_BUF], q2[QUOTE_BUF];
    const struct raw_entry *target;
    char *full = NULL;
    const char *s;

    if (!json_is_string(ref)) {
        sn_error_set(r->err, SN_ERR_INPUT,
                     "closure: store path %s: a reference is %s, expected a string",
                     quote(q, sizeof(q), e->path), type_name(ref));
        return NULL;
    }
    s = json_string_value(ref);
    if (e->refs_are_bases) {
        if (!closure_valid_base_name(s)) {
            sn_error_set(r->err, SN_ERR_INPUT,
                         "closure: store path %s: reference %s is not a valid store path base name",
                         quote(q, sizeof(q), e->path), quote(q2, sizeof(q2), s));
            return NULL;
        }
        full = path_from_base(s, r->err);
        if (!full)
            return NULL;
        s = full;
    } else {
        char what[QUOTE_BUF + 32];
        snprintf(what, sizeof(what), "reference of %s:", quote(q, sizeof(q), e->path));
        if (check_path(s, what, r->err) < 0)
            return NULL;
    }
    target = bsearch(s, r->raw, r->n, sizeof(*r->raw), cmp_key_raw);
    if (!target)
        sn_error_set(r->err, SN_ERR_INPUT,
                     "closure: store path %s references %s, which is not in the closure (the "
                     "document must list the whole closure: nix path-info --recursive)",
                     quote(q, sizeof(q), e->path), quote(q2, sizeof(q2), s));
    free(full);
    return target ? target->path : NULL;
}

/* Fills OUT with E's references, sorted and without duplicates, and *N with their number. */
static int resolve_refs(const struct reader *r, const struct raw_entry *e, const char **out,
                        size_t *n)
{
    size_t i, total = json_array_size(e->refs), kept = 0;

    for (i = 0; i < total; i++) {
        out[i] = resolve_ref(r, e, json_array_get(e->refs, i));
        if (!out[i])
            return -1;
    }
    qsort(out, total, sizeof(*out), cmp_str);
    /* Equal paths resolved to the same string, so comparing pointers finds the duplicates. */
    for (size_t j = 0; j < total; j++)
        if (kept == 0 || out[j] != out[kept - 1])
            out[kept++] = out[j];
    *n = kept;
    return 0;
}

static struct closure *closure_alloc(size_t n, size_t n_refs, struct sn_error *err)
{
    struct closure *c = calloc(1, sizeof(*c));

    if (c) {
        c->entries = calloc(n ? n : 1, sizeof(*c->entries));
        c->paths = calloc(n ? n : 1, sizeof(*c->paths));
        c->refs = calloc(n_refs ? n_refs : 1, sizeof(*c->refs));
    }
    if (!c || !c->entries || !c->paths || !c->refs) {
        closure_free(c);
        sn_error_set(err, SN_ERR_NOMEM, "closure: out of memory");
        return NULL;
    }
    return c;
}

/* Moves the sorted raw entries into a new closure, resolving references. */
static struct closure *build(struct reader *r)
{
    size_t i, n_refs = 0, used = 0;
    struct closure *c;

    for (i = 0; i < r->n; i++)
        n_refs += json_array_size(r->raw[i].refs);
    c = closure_alloc(r->n, n_refs, r->err);
    if (!c)
        return NULL;
    for (i = 0; i < r->n; i++) {
        struct closure_entry *e = &c->entries[i];
        size_t k;
        if (resolve_refs(r, &r->raw[i], &c->refs[used], &k) < 0)
            goto fail;
        if (r->raw[i].nar_size > UINT64_MAX - c->nar_total) {
            sn_error_set(r->err, SN_ERR_INPUT, "closure: the total NAR size overflows 64 bits");
            goto fail;
        }
        e->path = r->raw[i].path;
        e->nar_size = r->raw[i].nar_size;
        e->refs = &c->refs[used];
        e->n_refs = k;
        used += k;
        c->nar_total += e->nar_size;
    }
    /* The path strings change owner only once every reference resolved. */
    for (i = 0; i < r->n; i++) {
        c->paths[i] = r->raw[i].path;
        r->raw[i].path = NULL;
    }
    c->n = r->n;
    return c;
fail:
    closure_free(c);
    return NULL;
}

/* Names the key of a JSON_REJECT_DUPLICATES error: jansson stops right after the repeated key's
 * closing quote, and its own message does not always say which key it was. */
static int duplicate_key_error(const char *buf, size_t len, const json_error_t *jerr,
                               struct sn_error *err)
{
    char key[QUOTE_MAX + 1], q[QUOTE_BUF];
    size_t end = (size_t)jerr->position, start;

    if (end == 0 || end > len || buf[end - 1] != '"')
        return sn_error_set(err, SN_ERR_INPUT,
                            "closure: a key appears twice in one object at line %d, column %d",
                            jerr->line, jerr->column);
    end--;
    for (start = end;
         start > 0 && !(buf[start - 1] == '"' && (start < 2 || buf[start - 2] != '\\'));)
        start--;
    snprintf(key, sizeof(key), "%.*s", (int)(end - start), buf + start);
    return sn_error_set(err, SN_ERR_INPUT,
                        "closure: %s is listed twice in one object (line %d, column %d)",
                        quote(q, sizeof(q), key), jerr->line, jerr->column);
}

static json_t *load(const char *buf, size_t len, struct sn_error *err)
{
    json_error_t jerr;
    json_t *root;

    if (check_bounds(buf, len, err) < 0)
        return NULL;
    /* Duplicate keys would otherwise silently keep the last one. Without JSON_ALLOW_NUL, no
     * string can hold a NUL byte. */
    root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root && strstr(jerr.text, "duplicate object key"))
        duplicate_key_error(buf, len, &jerr, err);
    else if (!root)
        sn_error_set(err, SN_ERR_INPUT, "closure: invalid JSON at line %d, column %d: %s",
                     jerr.line, jerr.column, jerr.text);
    return root;
}

int closure_parse(const char *buf, size_t len, const char *attrs_key, struct closure **out,
                  struct sn_error *err)
{
    struct reader r = {.err = err};
    struct closure *c = NULL;
    json_t *root;
    size_t i;

    *out = NULL;
    root = load(buf, len, err);
    if (!root)
        return -1;
    if (read_document(&r, root, attrs_key) == 0) {
        if (r.n > 0)
            qsort(r.raw, r.n, sizeof(*r.raw), cmp_raw);
        if (check_duplicates(&r) == 0)
            c = build(&r);
    }
    for (i = 0; i < r.n; i++)
        free(r.raw[i].path);
    free(r.raw);
    json_decref(root);
    if (!c)
        return -1;
    *out = c;
    return 0;
}

size_t closure_count(const struct closure *c)
{
    return c->n;
}

const struct closure_entry *closure_at(const struct closure *c, size_t i)
{
    return i < c->n ? &c->entries[i] : NULL;
}

static int cmp_key_entry(const void *key, const void *elem)
{
    return strcmp(key, ((const struct closure_entry *)elem)->path);
}

const struct closure_entry *closure_find(const struct closure *c, const char *path)
{
    return bsearch(path, c->entries, c->n, sizeof(*c->entries), cmp_key_entry);
}

uint64_t closure_nar_total(const struct closure *c)
{
    return c->nar_total;
}

void closure_free(struct closure *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->n; i++)
        free(c->paths[i]);
    free(c->paths);
    free(c->refs);
    free(c->entries);
    free(c);
}
