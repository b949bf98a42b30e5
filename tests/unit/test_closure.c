/* The closure reader: every document form Nix produces (real Nix 2.8 output and .attrs.json from
 * tests/unit/data/closure/, generated from the demo fixture; the newer forms hand-written from the
 * Nix manual and release notes), every rejection, and the empty closure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "closure.h"

/* The demo fixture's closure (tests/fixtures/demo.nix), as the real Nix 2.8 printed it. */
#define H_GLIBC   "7wvjv8q5dl7abr8z82l61v3y62j62qiz"
#define H_GREET   "fq9lfl3zqc8r4alj62dmi3k83vmn9455"
#define H_HELLO   "y7c3nrrzj3bdmnn7gjanfwd7bmyjm09r"
#define B_GLIBC   H_GLIBC "-demo-glibc-2.36"
#define B_GREET   H_GREET "-demo-greet-1.0"
#define B_HELLO   H_HELLO "-demo-hello-1.0"
#define GLIBC     "/nix/store/" B_GLIBC
#define GREET     "/nix/store/" B_GREET
#define HELLO     "/nix/store/" B_HELLO
#define NAR_GLIBC 2141952
#define NAR_GREET 17768
#define NAR_HELLO 18816

static char *data_file(const char *name, size_t *len)
{
    char path[512];
    const char *slash = strrchr(__FILE__, '/');
    FILE *f;
    char *buf;
    long size;

    /* The data directory sits next to this source file; `make unit` runs from the repo root. */
    snprintf(path, sizeof(path), "%.*s/data/closure/%s", slash ? (int)(slash - __FILE__) : 1,
             slash ? __FILE__ : ".", name);
    f = fopen(path, "rbe");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    buf = malloc((size_t)size);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return buf;
}

static struct closure *parse_ok(const char *doc, const char *key)
{
    struct sn_error err = {0};
    struct closure *c = NULL;

    if (closure_parse(doc, strlen(doc), key, &c, &err) != 0)
        fail_msg("closure_parse failed: %s", err.msg);
    assert_non_null(c);
    return c;
}

/* Checks a rejection: -1, no closure, KIND, and a message holding NEEDLE and NEEDLE2. */
static void reject_buf(const char *doc, size_t len, const char *key, enum sn_error_kind kind,
                       const char *needle, const char *needle2)
{
    struct sn_error err = {0};
    struct closure *c = (struct closure *)&err; /* must be reset to NULL */

    assert_int_equal(closure_parse(doc, len, key, &c, &err), -1);
    assert_null(c);
    if (err.kind != kind)
        fail_msg("kind %d, expected %d: %s", err.kind, kind, err.msg);
    if (!strstr(err.msg, needle) || (needle2 && !strstr(err.msg, needle2)))
        fail_msg("message [%s] lacks [%s] or [%s]", err.msg, needle, needle2 ? needle2 : "");
}

static void reject(const char *doc, const char *needle, const char *needle2)
{
    reject_buf(doc, strlen(doc), NULL, SN_ERR_INPUT, needle, needle2);
}

/* The demo closure: three paths sorted, references sorted, sizes and total. */
static void assert_demo(const struct closure *c, int with_sizes)
{
    const struct closure_entry *e;

    assert_int_equal(closure_count(c), 3);
    e = closure_at(c, 0);
    assert_string_equal(e->path, GLIBC);
    assert_int_equal(e->n_refs, 0);
    e = closure_at(c, 1);
    assert_string_equal(e->path, GREET);
    assert_int_equal(e->n_refs, 1);
    assert_string_equal(e->refs[0], GLIBC);
    e = closure_at(c, 2);
    assert_string_equal(e->path, HELLO);
    assert_int_equal(e->n_refs, 2);
    assert_string_equal(e->refs[0], GLIBC);
    assert_string_equal(e->refs[1], GREET);
    assert_null(closure_at(c, 3));
    assert_ptr_equal(closure_find(c, GREET), closure_at(c, 1));
    assert_null(closure_find(c, "/nix/store/" H_GREET "-demo-greet-1.1"));
    if (with_sizes) {
        assert_int_equal(closure_at(c, 0)->nar_size, NAR_GLIBC);
        assert_int_equal(closure_at(c, 2)->nar_size, NAR_HELLO);
        assert_int_equal(closure_nar_total(c), NAR_GLIBC + NAR_GREET + NAR_HELLO);
    }
}

static void test_nix_2_8_path_info(void **state)
{
    struct sn_error err = {0};
    struct closure *c;
    size_t len;
    char *doc = data_file("nix-2.8-path-info.json", &len);

    (void)state;
    assert_int_equal(closure_parse(doc, len, NULL, &c, &err), 0);
    assert_demo(c, 1);
    closure_free(c);
    free(doc);
}

static void test_nix_2_8_attrs_json(void **state)
{
    struct sn_error err = {0};
    struct closure *c;
    size_t len;
    char *doc = data_file("nix-2.8-attrs.json", &len);

    (void)state;
    assert_int_equal(closure_parse(doc, len, "closure", &c, &err), 0);
    assert_demo(c, 1);
    closure_free(c);
    /* The same document read as path-info JSON is not one. */
    reject_buf(doc, len, NULL, SN_ERR_INPUT, "\"builder\"", "not a store path");
    /* A key the derivation did not export. */
    reject_buf(doc, len, "deps", SN_ERR_INPUT, "no key \"deps\"", "exportReferencesGraph.deps");
    /* "name" exists but is no graph. */
    reject_buf(doc, len, "name", SN_ERR_INPUT, "\"name\" is a string", NULL);
    free(doc);
}

/* Nix 2.19 to 2.32: an object keyed by store path; entries out of order, extra fields. */
static void test_keyed_by_path(void **state)
{
    struct closure *c = parse_ok(
        "{\"" HELLO "\": {\"narSize\": 18816, \"references\": [\"" GREET "\", \"" GLIBC "\"],"
        " \"deriver\": null, \"ultimate\": true, \"signatures\": [], \"ca\": null,"
        " \"narHash\": \"sha256-oIv6G4aKwvkxUEDsV8z2p8j+FvoloyHZAFksc1Nxnv4=\"},"
        " \"" GLIBC "\": {\"narSize\": 2141952, \"references\": []},"
        " \"" GREET "\": {\"narSize\": 17768, \"references\": [\"" GLIBC "\"]}}",
        NULL);

    (void)state;
    assert_demo(c, 1);
    closure_free(c);
}

/* --json-format 1: the 2.19 form with "version" and "storeDir", per entry or at the top. */
static void test_json_format_1(void **state)
{
    const char *per_entry =
        "{\"" GLIBC "\": {\"version\": 1, \"storeDir\": \"/nix/store\", \"narSize\": 2141952,"
        " \"references\": []},"
        " \"" GREET "\": {\"version\": 1, \"storeDir\": \"/nix/store\", \"narSize\": 17768,"
        " \"references\": [\"" GLIBC "\"]},"
        " \"" HELLO "\": {\"version\": 1, \"storeDir\": \"/nix/store\", \"narSize\": 18816,"
        " \"references\": [\"" GLIBC "\", \"" GREET "\"]}}";
    const char *top =
        "{\"version\": 1, \"storeDir\": \"/nix/store\","
        " \"" GLIBC "\": {\"narSize\": 2141952, \"references\": []},"
        " \"" GREET "\": {\"narSize\": 17768, \"references\": [\"" GLIBC "\"]},"
        " \"" HELLO "\": {\"narSize\": 18816, \"references\": [\"" GLIBC "\", \"" GREET "\"]}}";
    struct closure *c;

    (void)state;
    c = parse_ok(per_entry, NULL);
    assert_demo(c, 1);
    closure_free(c);
    c = parse_ok(top, NULL);
    assert_demo(c, 1);
    closure_free(c);
}

/* --json-format 2 (release notes of Nix 2.33): base names, structured hashes and ca. */
static void test_json_format_2(void **state)
{
    struct closure *c = parse_ok(
        "{\"version\": 2, \"storeDir\": \"/nix/store\", \"info\": {"
        " \"" B_HELLO "\": {\"version\": 2, \"narSize\": 18816, \"ca\": null,"
        "   \"narHash\": {\"algorithm\": \"sha256\", \"format\": \"base16\", \"hash\": \"a08b\"},"
        "   \"references\": [\"" B_GREET "\", \"" B_GLIBC "\"], \"deriver\": null},"
        " \"" B_GREET "\": {\"narSize\": 17768, \"references\": [\"" B_GLIBC "\"]},"
        " \"" B_GLIBC "\": {\"narSize\": 2141952, \"references\": [],"
        "   \"ca\": {\"method\": \"nar\", \"hash\": {\"algorithm\": \"sha256\","
        "   \"format\": \"base16\", \"hash\": \"10c2\"}}}}}",
        NULL);

    (void)state;
    assert_demo(c, 1);
    closure_free(c);
}

/* --json-format 3, each entry shaped like Nix's own test data (src/libstore-tests/data/path-info/
 * json-3/impure.json): per-entry version and storeDir, signatures as objects, ca with an SRI hash.
 */
static void test_json_format_3(void **state)
{
    struct closure *c = parse_ok(
        "{\"version\": 3, \"storeDir\": \"/nix/store\", \"newField\": [1, 2], \"info\": {"
        " \"" B_GLIBC
        "\": {\"ca\": {\"hash\": \"sha256-EMIJ+giQ/gLIWoxmPKjno3zHZrxbGymgzGGyZvZBIdM=\","
        "   \"method\": \"nar\"}, \"deriver\": \"" H_GLIBC "-demo-glibc-2.36.drv\","
        "   \"narHash\": \"sha256-FePFYIlMuycIXPZbWi7LGEiMmZSX9FMbaQenWBzm1Sc=\","
        "   \"narSize\": 2141952, \"references\": [], \"registrationTime\": 23423,"
        "   \"signatures\": [{\"keyName\": \"asdf\", \"sig\": \"AAAA==\"},"
        "     {\"keyName\": \"qwer\", \"sig\": \"AAAA==\"}],"
        "   \"storeDir\": \"/nix/store\", \"ultimate\": true, \"version\": 3},"
        " \"" B_GREET "\": {\"narSize\": 17768, \"references\": [\"" B_GLIBC "\"],"
        "   \"storeDir\": \"/nix/store\", \"version\": 3},"
        " \"" B_HELLO "\": {\"narSize\": 18816, \"storeDir\": \"/nix/store\", \"version\": 3,"
        "   \"references\": [\"" B_GLIBC "\", \"" B_GREET "\"]}}}",
        NULL);

    (void)state;
    assert_demo(c, 1);
    closure_free(c);
}

/* References come out sorted and once each; a self-reference is kept; no narSize reads as 0. */
static void test_refs_sorted_deduplicated(void **state)
{
    struct closure *c =
        parse_ok("[{\"path\": \"" HELLO "\", \"references\": [\"" HELLO "\", \"" GREET
                 "\", \"" GLIBC "\", \"" GREET "\", \"" HELLO "\"]},"
                 " {\"path\": \"" GREET "\", \"references\": [\"" GLIBC "\", \"" GLIBC "\"]},"
                 " {\"path\": \"" GLIBC "\", \"references\": [\"" GLIBC "\"]}]",
                 NULL);
    const struct closure_entry *hello;

    (void)state;
    assert_int_equal(closure_count(c), 3);
    hello = closure_find(c, HELLO);
    assert_non_null(hello);
    assert_int_equal(hello->n_refs, 3);
    assert_string_equal(hello->refs[0], GLIBC);
    assert_string_equal(hello->refs[1], GREET);
    assert_string_equal(hello->refs[2], HELLO);
    assert_int_equal(closure_find(c, GREET)->n_refs, 1);
    assert_int_equal(closure_find(c, GLIBC)->n_refs, 1);
    assert_int_equal(closure_nar_total(c), 0);
    closure_free(c);
}

static void test_empty_closures(void **state)
{
    const char *docs[] = {"[]", "{}",
                          "{\"version\": 2, \"storeDir\": \"/nix/store\", \"info\": {}}",
                          "{\"version\": 1, \"storeDir\": \"/nix/store\"}"};
    struct closure *c;

    (void)state;
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        c = parse_ok(docs[i], NULL);
        assert_int_equal(closure_count(c), 0);
        assert_int_equal(closure_nar_total(c), 0);
        assert_null(closure_at(c, 0));
        assert_null(closure_find(c, GLIBC));
        closure_free(c);
    }
    c = parse_ok("{\"closure\": [], \"outputs\": {}}", "closure");
    assert_int_equal(closure_count(c), 0);
    closure_free(c);
    closure_free(NULL);
}

static void test_valid_base_name(void **state)
{
    char longname[32 + 1 + 212 + 1];

    (void)state;
    assert_true(closure_valid_base_name(B_HELLO));
    assert_true(closure_valid_base_name(H_GLIBC "-a+b-c.d_e?f=g-ABC-0"));
    assert_true(closure_valid_base_name(H_GLIBC "-.dotfile"));
    assert_true(closure_valid_base_name(H_GLIBC "-...")); /* Nix allows it: not "." or ".." */
    assert_false(closure_valid_base_name(H_GLIBC "-"));
    assert_false(closure_valid_base_name(H_GLIBC "-."));
    assert_false(closure_valid_base_name(H_GLIBC "-.."));
    assert_false(closure_valid_base_name(H_GLIBC "-.-x"));
    assert_false(closure_valid_base_name(H_GLIBC "-..-x"));
    assert_false(closure_valid_base_name(H_GLIBC "-a/b"));
    assert_false(closure_valid_base_name(H_GLIBC "-a b"));
    assert_false(closure_valid_base_name(H_GLIBC "-caf\xc3\xa9"));
    assert_false(closure_valid_base_name(H_GLIBC "x-hello")); /* 33 hash chars */
    assert_false(closure_valid_base_name("7wvjv8q5dl7abr8z82l61v3y62j62qi-hello"));  /* 31 */
    assert_false(closure_valid_base_name("ewvjv8q5dl7abr8z82l61v3y62j62qiz-hello")); /* 'e' */
    assert_false(closure_valid_base_name("7WVJV8Q5DL7ABR8Z82L61V3Y62J62QIZ-hello"));
    assert_false(closure_valid_base_name(""));
    assert_false(closure_valid_base_name(".."));
    memset(longname, 'a', sizeof(longname));
    memcpy(longname, H_GLIBC "-", 33);
    longname[33 + 211] = '\0';
    assert_true(closure_valid_base_name(longname));
    longname[33 + 211] = 'a';
    longname[33 + 212] = '\0';
    assert_false(closure_valid_base_name(longname));
}

static void test_reject_store_dir(void **state)
{
    (void)state;
    reject("{\"version\": 2, \"storeDir\": \"/gnu/store\", \"info\": {}}", "\"/gnu/store\"",
           "only /nix/store is supported");
    reject("{\"version\": 1, \"storeDir\": \"/opt/nix/store\"}", "\"/opt/nix/store\"",
           "only /nix/store is supported");
    reject("{\"" GLIBC "\": {\"version\": 1, \"storeDir\": \"/nix/store/\", \"references\": []}}",
           "\"/nix/store/\"", "only /nix/store is supported");
    reject("[{\"path\": \"/gnu/store/" B_GLIBC "\", \"references\": []}]",
           "\"/gnu/store/" B_GLIBC "\"", "only /nix/store is supported");
    reject("{\"/home/u/nix/store/" B_GLIBC "\": {\"references\": []}}",
           "\"/home/u/nix/store/" B_GLIBC "\"", "look them up there");
    reject("{\"version\": 2, \"storeDir\": 7, \"info\": {}}", "\"storeDir\" is an integer", NULL);
    reject("{\"version\": 3, \"storeDir\": \"/nix/store\", \"info\": {\"" B_GLIBC
           "\": {\"storeDir\": \"/gnu/store\", \"references\": []}}}",
           GLIBC ": store directory \"/gnu/store\"", "only /nix/store is supported");
    reject("{\"version\": 2, \"info\": {}}", "no \"storeDir\"", NULL);
}

static void test_reject_not_under_store(void **state)
{
    (void)state;
    reject("[{\"path\": \"" GLIBC "/lib\", \"references\": []}]", "\"" GLIBC "/lib\"",
           "not directly under /nix/store");
    reject("[{\"path\": \"/nix/store/sub/" B_GLIBC "\", \"references\": []}]",
           "\"/nix/store/sub/" B_GLIBC "\"", "not directly under");
    reject("[{\"path\": \"/nix/store/..\", \"references\": []}]", "\"/nix/store/..\"",
           "not a valid store path");
    reject("[{\"path\": \"/nix/store/" H_GLIBC "-..\", \"references\": []}]",
           "\"/nix/store/" H_GLIBC "-..\"", "not a valid store path");
    reject("[{\"path\": \"/usr/bin/env\", \"references\": []}]", "\"/usr/bin/env\"",
           "not a store path under /nix/store");
    reject("[{\"path\": \"nix/store/" B_GLIBC "\", \"references\": []}]", "\"nix/store/",
           "not a store path");
    reject("[{\"path\": \"/nix/store/" H_GLIBC "-bad\\u001b[31mname\", \"references\": []}]",
           "bad\\x1b[31mname\"", "not a valid store path"); /* escaped, not sent to the terminal */
    reject("[{\"path\": \"/nix/store/" H_GLIBC "-caf\\u00e9\", \"references\": []}]",
           "caf\\xc3\\xa9\"", "not a valid store path");
    reject("{\"version\": 2, \"storeDir\": \"/nix/store\", \"info\": {\"../etc\": null}}",
           "\"../etc\" in \"info\"", "not a valid store path base name");
    reject("{\"version\": 3, \"storeDir\": \"/nix/store\", \"info\": {\"" B_GLIBC
           "\": {\"references\": [\"" B_GLIBC "/lib\"]}}}",
           "reference \"" B_GLIBC "/lib\"", "not a valid store path base name");
}

static void test_reject_long_name(void **state)
{
    char doc[1024];
    char name[213];

    (void)state;
    memset(name, 'n', 212);
    name[212] = '\0';
    snprintf(doc, sizeof(doc), "[{\"path\": \"/nix/store/" H_GLIBC "-%s\", \"references\": []}]",
             name);
    reject(doc, "nnnnnnnn", "not a valid store path");
    /* A 211-character name is Nix's limit and passes. */
    name[211] = '\0';
    snprintf(doc, sizeof(doc), "[{\"path\": \"/nix/store/" H_GLIBC "-%s\", \"references\": []}]",
             name);
    closure_free(parse_ok(doc, NULL));
}

static void test_reject_nul(void **state)
{
    static const char raw[] = "[{\"path\": \"/nix/store/" B_GLIBC "\0x\", \"references\": []}]";

    (void)state;
    reject("[{\"path\": \"/nix/store/" B_GLIBC "\\u0000x\", \"references\": []}]",
           "invalid JSON at line 1", "\\u0000");
    reject_buf(raw, sizeof(raw) - 1, NULL, SN_ERR_INPUT, "invalid JSON at line 1", NULL);
}

static void test_reject_invalid_paths(void **state)
{
    (void)state;
    reject("{\"" GLIBC "\": null}", "\"" GLIBC "\" is not valid", "build it first");
    reject("{\"version\": 2, \"storeDir\": \"/nix/store\", \"info\": {\"" B_GLIBC "\": null}}",
           GLIBC " is not valid", "build it first");
    reject("[{\"path\": \"" GLIBC "\", \"valid\": false}]", "\"" GLIBC "\" is not valid", NULL);
}

static void test_reject_duplicates(void **state)
{
    (void)state;
    reject("[{\"path\": \"" GLIBC "\", \"references\": []},"
           " {\"path\": \"" GREET "\", \"references\": []},"
           " {\"path\": \"" GLIBC "\", \"references\": []}]",
           "\"" GLIBC "\" is listed twice", NULL);
    reject("{\"" GLIBC "\": {\"references\": []},\n \"" GLIBC "\": {\"references\": []}}",
           "\"" GLIBC "\" is listed twice in one object", "(line 2, column 62)");
    reject("{\"version\": 2, \"storeDir\": \"/nix/store\", \"info\": {\"" B_GLIBC
           "\": {\"references\": []}, \"" B_GLIBC "\": {\"references\": []}}}",
           "\"" B_GLIBC "\" is listed twice in one object", NULL);
    reject("[{\"path\": \"" GLIBC "\", \"references\": [], \"references\": []}]",
           "\"references\" is listed twice", NULL);
}

static void test_reject_open_closure(void **state)
{
    (void)state;
    reject("[{\"path\": \"" HELLO "\", \"references\": [\"" GLIBC "\", \"" GREET "\"]},"
           " {\"path\": \"" GLIBC "\", \"references\": []}]",
           "\"" HELLO "\" references \"" GREET "\"", "not in the closure");
    reject("{\"version\": 2, \"storeDir\": \"/nix/store\", \"info\": {\"" B_GREET
           "\": {\"references\": [\"" B_GLIBC "\"]}}}",
           "references \"" GLIBC "\"", "not in the closure");
    reject("[{\"path\": \"" GLIBC "\", \"references\": [\"/gnu/store/" B_GREET "\"]}]",
           "\"/gnu/store/" B_GREET "\"", "only /nix/store is supported");
}

static void test_reject_malformed_json(void **state)
{
    (void)state;
    reject("[{\"path\": \"" GLIBC "\",\n  \"references\": [}]", "invalid JSON at line 2, column",
           NULL);
    reject("", "invalid JSON at line 1", NULL);
    reject("[] []", "invalid JSON at line 1, column", NULL);
    reject("\"" GLIBC "\"", "invalid JSON", NULL);
    reject("[\"\xff\"]", "invalid JSON", NULL); /* not UTF-8 */
}

static void test_reject_wrong_types(void **state)
{
    (void)state;
    reject("[\"" GLIBC "\"]", "entry 0 is a string, expected an object", NULL);
    reject("[{\"path\": 1, \"references\": []}]", "entry 0: \"path\" is an integer", NULL);
    reject("[{\"references\": []}]", "entry 0: \"path\" is missing", NULL);
    reject("[{\"path\": \"" GLIBC "\"}]", "\"" GLIBC "\": \"references\" is missing", NULL);
    reject("[{\"path\": \"" GLIBC "\", \"references\": {}}]",
           "\"" GLIBC "\": \"references\" is an object", NULL);
    reject("[{\"path\": \"" GLIBC "\", \"references\": [7]}]",
           "\"" GLIBC "\": a reference is an integer", NULL);
    reject("[{\"path\": \"" GLIBC "\", \"references\": [], \"narSize\": \"12\"}]",
           "\"" GLIBC "\": \"narSize\" is a string", "non-negative integer");
    reject("[{\"path\": \"" GLIBC "\", \"references\": [], \"narSize\": -1}]",
           "\"" GLIBC "\": \"narSize\" is an integer", "non-negative integer");
    reject("[{\"path\": \"" GLIBC "\", \"references\": [], \"narSize\": 1.5}]",
           "\"narSize\" is a number", NULL);
    reject("{\"" GLIBC "\": [1]}", "\"" GLIBC "\": its information is an array", NULL);
    reject("{\"version\": 2, \"storeDir\": \"/nix/store\", \"info\": []}", "\"info\" is an array",
           NULL);
    reject("{\"version\": 2, \"storeDir\": \"/nix/store\"}", "\"info\" is missing", NULL);
    reject("{\"version\": 3, \"storeDir\": \"/nix/store\", \"info\": {\"" B_GLIBC "\": true}}",
           GLIBC ": its information is a boolean", NULL);
    reject_buf("[]", 2, "closure", SN_ERR_INPUT, ".attrs.json is an array, expected an object",
               NULL);
    reject_buf("{\"closure\": 5}", 14, "closure", SN_ERR_INPUT, "\"closure\" is an integer", NULL);
}

static void test_reject_unknown_version(void **state)
{
    (void)state;
    reject("{\"version\": 4, \"storeDir\": \"/nix/store\", \"info\": {}}",
           "version 4 with \"info\"", "versions 2 and 3");
    reject("{\"version\": 0}", "version 0", NULL);
    reject("{\"version\": \"2\", \"info\": {}}", "version: the string \"2\"", NULL);
    reject("{\"version\": 1, \"storeDir\": \"/nix/store\", \"info\": {}}", "version 1 with", NULL);
    reject("{\"info\": {}}", "version: missing", NULL);
    reject("{\"" GLIBC "\": {\"version\": 2, \"references\": []}}", "\"" GLIBC "\"",
           "unsupported path-info version");
}

static void test_reject_sizes(void **state)
{
    size_t n = ((size_t)4 << 20) + 2, i;
    size_t big = ((size_t)64 << 20) + 1;
    char *doc = malloc(2 * n + 2);
    char deep[100];

    (void)state;
    assert_non_null(doc);
    /* Too many values: [0,0,...] with 4 Mi + 2 elements. */
    doc[0] = '[';
    for (i = 0; i < n; i++) {
        doc[1 + 2 * i] = '0';
        doc[2 + 2 * i] = ',';
    }
    doc[2 * n] = ']';
    reject_buf(doc, 2 * n + 1, NULL, SN_ERR_INPUT, "more than", "JSON values");
    free(doc);
    /* Too large a document, whatever it holds. */
    doc = malloc(big);
    assert_non_null(doc);
    memset(doc, ' ', big);
    doc[0] = '[';
    doc[big - 1] = ']';
    reject_buf(doc, big, NULL, SN_ERR_INPUT, "67108865 bytes", "64 MiB");
    free(doc);
    /* Too deep: 40 nested arrays; 32 levels still parse (and are then no closure). */
    memset(deep, '[', 40);
    memset(deep + 40, ']', 40);
    reject_buf(deep, 80, NULL, SN_ERR_INPUT, "deeper than 32 levels", "line 1");
    memset(deep, '[', 32);
    memset(deep + 32, ']', 32);
    reject_buf(deep, 64, NULL, SN_ERR_INPUT, "entry 0 is an array", NULL);
    /* Brackets inside strings do not count as nesting. */
    closure_free(parse_ok("{\"" GLIBC "\": {\"references\": [], \"x\": \"[[[[[[[[[[[[[[[[[[[["
                          "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}}",
                          NULL));
}

/* Too many store paths: 2^18 + 1 distinct, valid entries (16 MiB, under the size limits). */
static void test_reject_too_many_entries(void **state)
{
    const size_t n = ((size_t)1 << 18) + 1;
    const size_t per = sizeof("{\"path\": \"/nix/store/" H_GLIBC "-p\", \"references\": []},") - 1;
    char *doc = malloc(n * per + 2), *p = doc;

    (void)state;
    assert_non_null(doc);
    *p++ = '[';
    for (size_t i = 0; i < n; i++) {
        char hash[33];
        size_t v = i;
        for (int k = 31; k >= 0; k--, v /= 32)
            hash[k] = "0123456789abcdfghijklmnpqrsvwxyz"[v % 32];
        hash[32] = '\0';
        p += sprintf(p, "{\"path\": \"/nix/store/%s-p\", \"references\": []}%s", hash,
                     i + 1 < n ? "," : "]");
    }
    reject_buf(doc, (size_t)(p - doc), NULL, SN_ERR_INPUT, "more than 262144 store paths", NULL);
    /* One fewer is a valid closure. */
    p = doc + 1 + (n - 1) * per;
    p[-1] = ']';
    {
        struct sn_error err = {0};
        struct closure *c;
        assert_int_equal(closure_parse(doc, (size_t)(p - doc), NULL, &c, &err), 0);
        assert_int_equal(closure_count(c), n - 1);
        closure_free(c);
    }
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nix_2_8_path_info),
        cmocka_unit_test(test_nix_2_8_attrs_json),
        cmocka_unit_test(test_keyed_by_path),
        cmocka_unit_test(test_json_format_1),
        cmocka_unit_test(test_json_format_2),
        cmocka_unit_test(test_json_format_3),
        cmocka_unit_test(test_refs_sorted_deduplicated),
        cmocka_unit_test(test_empty_closures),
        cmocka_unit_test(test_valid_base_name),
        cmocka_unit_test(test_reject_store_dir),
        cmocka_unit_test(test_reject_not_under_store),
        cmocka_unit_test(test_reject_long_name),
        cmocka_unit_test(test_reject_nul),
        cmocka_unit_test(test_reject_invalid_paths),
        cmocka_unit_test(test_reject_duplicates),
        cmocka_unit_test(test_reject_open_closure),
        cmocka_unit_test(test_reject_malformed_json),
        cmocka_unit_test(test_reject_wrong_types),
        cmocka_unit_test(test_reject_unknown_version),
        cmocka_unit_test(test_reject_sizes),
        cmocka_unit_test(test_reject_too_many_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
