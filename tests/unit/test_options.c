/* Command-line parsing: every option, sizes with suffixes, the modes, and the usage errors, each
 * naming the option and the value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

#define ARGV(...)          ((char *const[]){"squashnix", __VA_ARGS__, NULL})
#define ARGC(...)          ((int)(sizeof((const char *[]){"squashnix", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(o, err, ...) options_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o), (err))

static void test_every_option(void **state)
{
    (void)state;
    struct sn_options o;
    struct sn_error err = {0};
    assert_int_equal(PARSE(&o, &err, "-o", "out.AppImage", "--runtime", "rt", "--entry", "en",
                           "--program", "bin/x", "--exclude", "*.a", "--exclude", "*/include/*",
                           "--desktop-file", "a.desktop", "--icon", "i.png", "--update-info",
                           "zsync|u", "-c", "xz", "-l", "6", "-b", "256K", "-j", "2", "-v",
                           "/nix/store/p", "/nix/store/q"),
                     0);
    assert_int_equal(o.mode, SN_MODE_BUNDLE);
    assert_string_equal(o.output, "out.AppImage");
    assert_string_equal(o.runtime, "rt");
    assert_string_equal(o.entry, "en");
    assert_string_equal(o.program, "bin/x");
    assert_int_equal(o.n_excludes, 2);
    assert_string_equal(o.excludes[1], "*/include/*");
    assert_string_equal(o.desktop_file, "a.desktop");
    assert_string_equal(o.icon, "i.png");
    assert_string_equal(o.update_info, "zsync|u");
    assert_int_equal(o.compressor, SQW_XZ);
    assert_int_equal(o.level, 6);
    assert_int_equal(o.block_size, 262144);
    assert_int_equal(o.jobs, 2);
    assert_true(o.verbose);
    assert_int_equal(o.n_store_paths, 2);
    assert_string_equal(o.store_paths[0], "/nix/store/p");
    options_free(&o);
}

static void test_defaults_and_permuted_options(void **state)
{
    (void)state;
    struct sn_options o;
    struct sn_error err = {0};
    assert_int_equal(PARSE(&o, &err, "/nix/store/p", "-q", "--dry-run"), 0);
    assert_int_equal(o.compressor, SQW_ZSTD);
    assert_int_equal(o.level, -1);
    assert_int_equal(o.block_size, 0);
    assert_int_equal(o.jobs, 0);
    assert_true(o.quiet);
    assert_true(o.dry_run);
    assert_null(o.output);
    options_free(&o);
}

static void test_sizes(void **state)
{
    (void)state;
    uint64_t v;
    assert_int_equal(options_parse_size("131072", &v), 0);
    assert_int_equal(v, 131072);
    assert_int_equal(options_parse_size("128K", &v), 0);
    assert_int_equal(v, 131072);
    assert_int_equal(options_parse_size("1M", &v), 0);
    assert_int_equal(v, 1048576);
    assert_int_equal(options_parse_size("", &v), -1);
    assert_int_equal(options_parse_size("-1", &v), -1);
    assert_int_equal(options_parse_size("12G", &v), -1);
    assert_int_equal(options_parse_size("1KB", &v), -1);
    assert_int_equal(options_parse_size("99999999999999999999", &v), -1);
}

static void expect_error(int argc, char *const *argv, const char *needle)
{
    struct sn_options o;
    struct sn_error err = {0};
    assert_int_equal(options_parse(argc, argv, &o, &err), -1);
    assert_int_equal(err.kind, SN_ERR_INPUT);
    if (!strstr(err.msg, needle))
        fail_msg("error [%s] does not contain [%s]", err.msg, needle);
}

static void test_usage_errors(void **state)
{
    (void)state;
    expect_error(1, ARGV(NULL), "no store path given");
    expect_error(ARGC("-b", "100K", "/nix/store/p"), ARGV("-b", "100K", "/nix/store/p"),
                 "--block-size '100K'");
    expect_error(ARGC("-b", "2M", "/nix/store/p"), ARGV("-b", "2M", "/nix/store/p"), "4K to 1M");
    expect_error(ARGC("-c", "brotli", "p"), ARGV("-c", "brotli", "p"), "--compression 'brotli'");
    expect_error(ARGC("-j", "x", "p"), ARGV("-j", "x", "p"), "--jobs 'x'");
    expect_error(ARGC("-l", "99", "p"), ARGV("-l", "99", "p"), "--level 99: zstd takes levels");
    expect_error(ARGC("--frobnicate", "p"), ARGV("--frobnicate", "p"),
                 "unknown option '--frobnicate'");
    expect_error(ARGC("p", "-o"), ARGV("p", "-o"), "missing argument for option '-o'");
    expect_error(ARGC("p", "--level"), ARGV("p", "--level"),
                 "missing argument for option '--level'");
    expect_error(ARGC("--closure-key", "k", "p"), ARGV("--closure-key", "k", "p"),
                 "--closure-key NAME needs --closure");
    expect_error(ARGC("--appdir", "d", "p"), ARGV("--appdir", "d", "p"), "--appdir bundles DIR");
    expect_error(ARGC("--appdir", "d", "--dry-run"), ARGV("--appdir", "d", "--dry-run"),
                 "--dry-run");
    expect_error(ARGC("--nix-builder", "p"), ARGV("--nix-builder", "p"), "--nix-builder takes");
    expect_error(ARGC("inspect"), ARGV("inspect"), "usage: squashnix inspect FILE");
    expect_error(ARGC("inspect", "a", "b"), ARGV("inspect", "a", "b"), "usage");
    expect_error(ARGC("verify"), ARGV("verify"), "usage: squashnix verify FILE");
    expect_error(ARGC("--release-name", "a/b", "p"), ARGV("--release-name", "a/b", "p"),
                 "--release-name 'a/b': expected a file name");
    expect_error(ARGC("--dry-run", "--zsync", "p"), ARGV("--dry-run", "--zsync", "p"),
                 "--dry-run writes nothing");
    expect_error(ARGC("--sign", "", "p"), ARGV("--sign", "", "p"), "--sign: empty key id");
}

static void test_release_options(void **state)
{
    (void)state;
    struct sn_options o;
    struct sn_error err = {0};
    assert_int_equal(PARSE(&o, &err, "--zsync", "--sha256", "--sign", "bot@example.org", "p"), 0);
    assert_true(o.zsync);
    assert_true(o.sha256);
    assert_null(o.zsync_output);
    assert_null(o.sha256_output);
    assert_null(o.release_name);
    assert_string_equal(o.sign_key, "bot@example.org");
    options_free(&o);
    /* The -output forms imply the flags. */
    assert_int_equal(PARSE(&o, &err, "--zsync-output", "/z/a.zsync", "--sha256-output",
                           "/s/a.sha256", "--release-name", "a", "p"),
                     0);
    assert_true(o.zsync && o.sha256);
    assert_string_equal(o.zsync_output, "/z/a.zsync");
    assert_string_equal(o.sha256_output, "/s/a.sha256");
    assert_string_equal(o.release_name, "a");
    options_free(&o);
    assert_int_equal(PARSE(&o, &err, "verify", "x.AppImage"), 0);
    assert_int_equal(o.mode, SN_MODE_VERIFY);
    assert_string_equal(o.verify_file, "x.AppImage");
    options_free(&o);
}

static void test_modes(void **state)
{
    (void)state;
    struct sn_options o;
    struct sn_error err = {0};
    assert_int_equal(PARSE(&o, &err, "--help"), 0);
    assert_int_equal(o.mode, SN_MODE_HELP);
    options_free(&o);
    assert_int_equal(PARSE(&o, &err, "-V"), 0);
    assert_int_equal(o.mode, SN_MODE_VERSION);
    options_free(&o);
    assert_int_equal(PARSE(&o, &err, "inspect", "x.AppImage"), 0);
    assert_int_equal(o.mode, SN_MODE_INSPECT);
    assert_string_equal(o.inspect_file, "x.AppImage");
    options_free(&o);
    assert_int_equal(PARSE(&o, &err, "--nix-builder"), 0);
    assert_int_equal(o.mode, SN_MODE_NIX_BUILDER);
    options_free(&o);
    assert_int_equal(PARSE(&o, &err, "--closure", "-", "--closure-key", "closure"), 0);
    assert_string_equal(o.closure_file, "-");
    assert_string_equal(o.closure_key, "closure");
    options_free(&o);
    assert_int_equal(PARSE(&o, &err, "--appdir", "My.AppDir"), 0);
    assert_string_equal(o.appdir, "My.AppDir");
    options_free(&o);
}

/* The parser restarts cleanly: a second parse is not affected by the first. */
static void test_reparse(void **state)
{
    (void)state;
    struct sn_options o;
    struct sn_error err = {0};
    assert_int_equal(PARSE(&o, &err, "-c", "gzip", "-x"), -1);
    assert_int_equal(PARSE(&o, &err, "-c", "lz4", "/nix/store/a"), 0);
    assert_int_equal(o.compressor, SQW_LZ4);
    assert_int_equal(o.n_store_paths, 1);
    options_free(&o);
}

static void test_usage_documents_every_option(void **state)
{
    (void)state;
    static const char *const opts[] = {
        "--closure",      "--closure-key",   "--appdir",     "--dry-run",
        "--program",      "--exclude",       "--entry",      "--desktop-file",
        "--icon",         "--output",        "--runtime",    "--update-info",
        "--compression",  "--level",         "--block-size", "--jobs",
        "--quiet",        "--verbose",       "--help",       "--version",
        "--nix-builder",  "inspect",         "Exit status",  "SOURCE_DATE_EPOCH",
        "--sign",         "--zsync",         "--sha256",     "--release-name",
        "--zsync-output", "--sha256-output", "verify FILE",
    };
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        assert_non_null(strstr(options_usage(), opts[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_option), cmocka_unit_test(test_defaults_and_permuted_options),
        cmocka_unit_test(test_sizes),        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_modes),        cmocka_unit_test(test_release_options),
        cmocka_unit_test(test_reparse),      cmocka_unit_test(test_usage_documents_every_option),
    };
    return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
