/* .attrs.json to command-line words. Each JSON string becomes exactly one word (never a shell
 * string), so that values with spaces or quotes pass through untouched. */
#include "nix_builder.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTRS_MAX ((size_t)64 << 20)

enum kind { K_STRING, K_STRING_OR_NULL, K_INT_OR_NULL, K_BOOL_OR_NULL, K_STRINGS };

/* The keys under "squashnix", their types, and the option each becomes. */
static const struct {
    const char *key;
    enum kind kind;
    const char *option; /* NULL: handled specially */
    int required;
} keys[] = {
    {"program", K_STRING, "--program", 1},
    {"runtime", K_STRING, "--runtime", 1},
    {"entry", K_STRING, "--entry", 1},
    {"compression", K_STRING_OR_NULL, "--compression", 0},
    {"level", K_INT_OR_NULL, "--level", 0},
    {"blockSize", K_INT_OR_NULL, "--block-size", 0},
    {"exclude", K_STRINGS, "--exclude", 0},
    {"updateInfo", K_STRING_OR_NULL, "--update-info", 0},
    {"desktopFile", K_STRING_OR_NULL, "--desktop-file", 0},
    {"icon", K_STRING_OR_NULL, "--icon", 0},
    {"zsync", K_BOOL_OR_NULL, NULL, 0},  /* true: NAME.zsync in the output "zsync" */
    {"sha256", K_BOOL_OR_NULL, NULL, 0}, /* true: NAME.sha256 in the output "sha256" */
    {"extraArgs", K_STRINGS, NULL, 0},
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

const char *nix_builder_attrs_path(void)
{
    const char *p = getenv("NIX_ATTRS_JSON_FILE");
    return p && *p ? p : ".attrs.json";
}

static int push(struct nix_builder_args *a, const char *word, struct sn_error *err)
{
    char **grown = realloc(a->argv, (size_t)(a->argc + 2) * sizeof(*grown));
    if (!grown)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    a->argv = grown;
    if (!(a->argv[a->argc] = strdup(word)))
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    a->argv[++a->argc] = NULL;
    return 0;
}

static int push2(struct nix_builder_args *a, const char *opt, const char *value,
                 struct sn_error *err)
{
    return push(a, opt, err) < 0 ? -1 : push(a, value, err);
}

static int type_error(const char *key, const char *want, struct sn_error *err)
{
    return sn_error_set(err, SN_ERR_INPUT, ".attrs.json: squashnix.%s must be %s", key, want);
}

static int check_kind(const char *key, enum kind kind, json_t *v, struct sn_error *err)
{
    switch (kind) {
    case K_STRING:
        return json_is_string(v) ? 0 : type_error(key, "a string", err);
    case K_STRING_OR_NULL:
        return json_is_string(v) || json_is_null(v) ? 0 : type_error(key, "a string or null", err);
    case K_INT_OR_NULL:
        return json_is_integer(v) || json_is_null(v) ? 0
                                                     : type_error(key, "an integer or null", err);
    case K_BOOL_OR_NULL:
        return json_is_boolean(v) || json_is_null(v) ? 0
                                                     : type_error(key, "a boolean or null", err);
    case K_STRINGS: {
        size_t i;
        json_t *s;
        if (!json_is_array(v))
            return type_error(key, "an array of strings", err);
        json_array_foreach(v, i, s) if (!json_is_string(s)) return type_error(
            key, "an array of strings", err);
        return 0;
    }
    }
    return 0;
}

/* Adds the words for one key's value V. */
static int add_key(struct nix_builder_args *a, size_t k, json_t *v, struct sn_error *err)
{
    char num[32];
    size_t i;
    json_t *s;
    if (json_is_null(v))
        return 0;
    switch (keys[k].kind) {
    case K_STRING:
    case K_STRING_OR_NULL:
        return push2(a, keys[k].option, json_string_value(v), err);
    case K_INT_OR_NULL:
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        return push2(a, keys[k].option, num, err);
    case K_BOOL_OR_NULL:
        return 0; /* release files: see add_release */
    case K_STRINGS:
        json_array_foreach(v, i, s)
        {
            int rc = keys[k].option ? push2(a, keys[k].option, json_string_value(s), err)
                                    : push(a, json_string_value(s), err);
            if (rc < 0)
                return -1;
        }
        return 0;
    }
    return 0;
}

static int find_key(const char *key)
{
    for (size_t k = 0; k < N_KEYS; k++)
        if (strcmp(keys[k].key, key) == 0)
            return (int)k;
    return -1;
}

static int check_options(json_t *opts, struct sn_error *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(opts))
        return sn_error_set(err, SN_ERR_INPUT,
                            ".attrs.json: no \"squashnix\" object (the derivation's options)");
    json_object_foreach(opts, key, v)
    {
        int k = find_key(key);
        if (k < 0)
            return sn_error_set(err, SN_ERR_INPUT,
                                ".attrs.json: unknown key squashnix.%s (known: program, runtime, "
                                "entry, compression, level, blockSize, exclude, updateInfo, "
                                "desktopFile, icon, zsync, sha256, extraArgs)",
                                key);
        if (check_kind(key, keys[k].kind, v, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < N_KEYS; k++)
        if (keys[k].required && !json_object_get(opts, keys[k].key))
            return sn_error_set(err, SN_ERR_INPUT, ".attrs.json: squashnix.%s is required",
                                keys[k].key);
    return 0;
}

/* For squashnix.KEY = true ("zsync" or "sha256"): --KEY-output OUTPUTS.KEY/NAME.KEY, NAME being
 * the derivation's name, the file name the bundle is published under. */
static int add_release(struct nix_builder_args *a, json_t *root, const char *key,
                       struct sn_error *err)
{
    json_t *opts = json_object_get(root, "squashnix");
    json_t *dir = json_object_get(json_object_get(root, "outputs"), key);
    json_t *name = json_object_get(root, "name");
    char option[32], path[4096];
    if (!json_is_true(json_object_get(opts, key)))
        return 0;
    if (!json_is_string(dir))
        return sn_error_set(err, SN_ERR_INPUT,
                            ".attrs.json: squashnix.%s is true but there is no string "
                            "\"outputs\".\"%s\" (add \"%s\" to the derivation's outputs)",
                            key, key, key);
    if (!json_is_string(name))
        return sn_error_set(err, SN_ERR_INPUT, ".attrs.json: no string \"name\"");
    snprintf(option, sizeof(option), "--%s-output", key);
    if ((size_t)snprintf(path, sizeof(path), "%s/%s.%s", json_string_value(dir),
                         json_string_value(name), key) >= sizeof(path))
        return sn_error_set(err, SN_ERR_INPUT, ".attrs.json: outputs.%s: path too long", key);
    if (push2(a, option, path, err) < 0)
        return -1;
    return push2(a, "--release-name", json_string_value(name), err);
}

/* The words, extraArgs last so that they are read after (and may refine) the others. */
static int build(struct nix_builder_args *a, const char *attrs_path, json_t *root, const char *jobs,
                 struct sn_error *err)
{
    json_t *opts = json_object_get(root, "squashnix");
    json_t *out = json_object_get(json_object_get(root, "outputs"), "out");
    if (check_options(opts, err) < 0)
        return -1;
    if (!json_is_string(out))
        return sn_error_set(err, SN_ERR_INPUT, ".attrs.json: no string \"outputs\".\"out\"");
    if (push(a, "squashnix", err) < 0 || push2(a, "--closure", attrs_path, err) < 0 ||
        push2(a, "--closure-key", "closure", err) < 0 ||
        push2(a, "--output", json_string_value(out), err) < 0)
        return -1;
    if (jobs && *jobs && push2(a, "--jobs", jobs, err) < 0)
        return -1;
    if (add_release(a, root, "zsync", err) < 0 || add_release(a, root, "sha256", err) < 0)
        return -1;
    for (size_t k = 0; k < N_KEYS; k++) {
        json_t *v = json_object_get(opts, keys[k].key);
        if (v && add_key(a, k, v, err) < 0)
            return -1;
    }
    return 0;
}

int nix_builder_args(const char *attrs_path, const char *text, size_t len, const char *jobs,
                     struct nix_builder_args *out, struct sn_error *err)
{
    json_error_t jerr;
    memset(out, 0, sizeof(*out));
    if (len > ATTRS_MAX)
        return sn_error_set(err, SN_ERR_INPUT, "%s: larger than %zu MiB", attrs_path,
                            ATTRS_MAX >> 20);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return sn_error_set(err, SN_ERR_INPUT, "%s:%d:%d: %s", attrs_path, jerr.line, jerr.column,
                            jerr.text);
    int rc = json_is_object(root)
                 ? build(out, attrs_path, root, jobs, err)
                 : sn_error_set(err, SN_ERR_INPUT, "%s: not a JSON object", attrs_path);
    json_decref(root);
    if (rc < 0)
        nix_builder_args_free(out);
    return rc;
}

void nix_builder_args_free(struct nix_builder_args *a)
{
    for (int i = 0; i < a->argc; i++)
        free(a->argv[i]);
    free(a->argv);
    a->argv = NULL;
    a->argc = 0;
}
