/* --nix-builder: .attrs.json to command-line words per the contract with nix/mk-appimage.nix, and
 * the words parsed back by options_parse exactly as a command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nix_builder.h"
#include "options.h"

#define OUT  "/nix/store/00000000000000000000000000000000-demo.AppImage"
#define PROG "/nix/store/y7c3nrrzj3bdmnn7gjanfwd7bmyjm09r-demo-hello-1.0/bin/demo-hello"

static int build(const char *json, const char *jobs, struct nix_builder_args *a,
                 struct sn_error *err)
{
    return nix_builder_args("/build/.attrs.json", json, strlen(json), jobs, a, err);
}

static void test_full_contract(void **state)
{
    (void)state;
    struct nix_builder_args a;
    struct sn_error err = {0};
    struct sn_options o;
    const char *json = "{\"closure\": [], \"outputs\": {\"out\": \"" OUT "\"},"
                       "\"squashnix\": {\"program\": \"" PROG "\", \"runtime\": \"/r/runtime\","
                       "\"entry\": \"/r/AppRun\", \"compression\": \"xz\", \"level\": 9,"
                       "\"blockSize\": 262144, \"exclude\": [\"*.a\", \"*/include/*\"],"
                       "\"updateInfo\": \"zsync|https://x/y.zsync\", \"desktopFile\": null,"
                       "\"icon\": \"/i/icon.png\", \"extraArgs\": [\"-v\", \"--exclude\", "
                       "\"a b 'c'\"]}}";
    assert_int_equal(build(json, "3", &a, &err), 0);
    assert_string_equal(a.argv[0], "squashnix");
    assert_null(a.argv[a.argc]);
    assert_int_equal(options_parse(a.argc, a.argv, &o, &err), 0);
    assert_int_equal(o.mode, SN_MODE_BUNDLE);
    assert_string_equal(o.closure_file, "/build/.attrs.json");
    assert_string_equal(o.closure_key, "closure");
    assert_string_equal(o.output, OUT);
    assert_string_equal(o.program, PROG);
    assert_string_equal(o.runtime, "/r/runtime");
    assert_string_equal(o.entry, "/r/AppRun");
    assert_int_equal(o.compressor, SQW_XZ);
    assert_int_equal(o.level, 9);
    assert_int_equal(o.block_size, 262144);
    assert_int_equal(o.jobs, 3);
    assert_int_equal(o.n_excludes, 3);
    assert_string_equal(o.excludes[2], "a b 'c'"); /* one word, never split */
    assert_string_equal(o.update_info, "zsync|https://x/y.zsync");
    assert_null(o.desktop_file);
    assert_string_equal(o.icon, "/i/icon.png");
    assert_true(o.verbose);
    assert_int_equal(o.n_store_paths, 0);
    options_free(&o);
    nix_builder_args_free(&a);
}

static void test_minimal_and_nulls(void **state)
{
    (void)state;
    struct nix_builder_args a;
    struct sn_error err = {0};
    struct sn_options o;
    const char *json = "{\"outputs\": {\"out\": \"" OUT "\"}, \"squashnix\": {\"program\": \"" PROG
                       "\", \"runtime\": \"r\", \"entry\": \"e\", \"compression\": null, "
                       "\"level\": null, \"blockSize\": null, \"exclude\": [], \"extraArgs\": []}}";
    assert_int_equal(build(json, NULL, &a, &err), 0);
    assert_int_equal(options_parse(a.argc, a.argv, &o, &err), 0);
    assert_int_equal(o.compressor, SQW_ZSTD);
    assert_int_equal(o.level, -1);
    assert_int_equal(o.jobs, 0);
    options_free(&o);
    nix_builder_args_free(&a);
}

/* zsync/sha256 = true: the release files go into the outputs of those names, named after the
 * derivation's name (the name the bundle is published under); false adds nothing. */
static void test_release_outputs(void **state)
{
    (void)state;
    struct nix_builder_args a;
    struct sn_error err = {0};
    struct sn_options o;
    const char *json = "{\"name\": \"demo-1.0-x86_64.AppImage\", \"outputs\": {\"out\": \"" OUT
                       "\", \"zsync\": \"/nix/store/z\", \"sha256\": \"/nix/store/s\"},"
                       "\"squashnix\": {\"program\": \"" PROG "\", \"runtime\": \"r\", "
                       "\"entry\": \"e\", \"zsync\": true, \"sha256\": true}}";
    assert_int_equal(build(json, NULL, &a, &err), 0);
    assert_int_equal(options_parse(a.argc, a.argv, &o, &err), 0);
    assert_true(o.zsync && o.sha256);
    assert_string_equal(o.zsync_output, "/nix/store/z/demo-1.0-x86_64.AppImage.zsync");
    assert_string_equal(o.sha256_output, "/nix/store/s/demo-1.0-x86_64.AppImage.sha256");
    assert_string_equal(o.release_name, "demo-1.0-x86_64.AppImage");
    options_free(&o);
    nix_builder_args_free(&a);

    json = "{\"name\": \"n\", \"outputs\": {\"out\": \"" OUT "\"}, \"squashnix\": {\"program\": "
           "\"" PROG "\", \"runtime\": \"r\", \"entry\": \"e\", \"zsync\": false, "
           "\"sha256\": null}}";
    assert_int_equal(build(json, NULL, &a, &err), 0);
    assert_int_equal(options_parse(a.argc, a.argv, &o, &err), 0);
    assert_false(o.zsync || o.sha256 || o.release_name);
    options_free(&o);
    nix_builder_args_free(&a);
}

static void expect_error(const char *json, const char *needle)
{
    struct nix_builder_args a;
    struct sn_error err = {0};
    assert_int_equal(build(json, NULL, &a, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    if (!strstr(err.msg, needle))
        fail_msg("error [%s] does not contain [%s]", err.msg, needle);
}

#define BASE "\"outputs\": {\"out\": \"o\"}, "
#define REQ  "\"program\": \"p\", \"runtime\": \"r\", \"entry\": \"e\""

static void test_errors(void **state)
{
    (void)state;
    expect_error("{" BASE "\"squashnix\": {" REQ ", \"compresion\": \"xz\"}}",
                 "unknown key squashnix.compresion");
    expect_error("{" BASE "\"squashnix\": {\"runtime\": \"r\", \"entry\": \"e\"}}",
                 "squashnix.program is required");
    expect_error("{" BASE "\"squashnix\": {" REQ ", \"level\": \"9\"}}",
                 "squashnix.level must be an integer or null");
    expect_error("{" BASE "\"squashnix\": {" REQ ", \"exclude\": \"*.a\"}}",
                 "squashnix.exclude must be an array of strings");
    expect_error("{" BASE "\"squashnix\": {" REQ ", \"extraArgs\": [1]}}",
                 "squashnix.extraArgs must be an array of strings");
    expect_error("{" BASE "\"squashnix\": {\"program\": null, \"runtime\": \"r\", \"entry\": "
                 "\"e\"}}",
                 "squashnix.program must be a string");
    expect_error("{" BASE "\"other\": 1}", "no \"squashnix\" object");
    expect_error("{\"squashnix\": {" REQ "}}", "\"outputs\".\"out\"");
    expect_error("{\"squashnix\": ", "/build/.attrs.json:1:");
    expect_error("[1]", "not a JSON object");
    expect_error("{" BASE "\"squashnix\": {" REQ ", \"zsync\": \"yes\"}}",
                 "squashnix.zsync must be a boolean or null");
    expect_error("{\"name\": \"n\", " BASE "\"squashnix\": {" REQ ", \"zsync\": true}}",
                 "squashnix.zsync is true but there is no string \"outputs\".\"zsync\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_contract),
        cmocka_unit_test(test_minimal_and_nulls),
        cmocka_unit_test(test_release_outputs),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests_name("nix_builder", tests, NULL, NULL);
}
