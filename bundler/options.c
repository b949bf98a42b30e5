/* Command-line parsing with getopt_long (restarted for every call, so that the --nix-builder mode
 * can parse the words it builds from .attrs.json exactly as a command line). */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_CLOSURE = 256,
    OPT_CLOSURE_KEY,
    OPT_APPDIR,
    OPT_DRY_RUN,
    OPT_RUNTIME,
    OPT_ENTRY,
    OPT_PROGRAM,
    OPT_EXCLUDE,
    OPT_DESKTOP_FILE,
    OPT_ICON,
    OPT_UPDATE_INFO,
    OPT_NIX_BUILDER,
    OPT_SIGN,
    OPT_ZSYNC,
    OPT_ZSYNC_OUTPUT,
    OPT_SHA256,
    OPT_SHA256_OUTPUT,
    OPT_RELEASE_NAME,
};

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"closure", required_argument, NULL, OPT_CLOSURE},
    {"closure-key", required_argument, NULL, OPT_CLOSURE_KEY},
    {"appdir", required_argument, NULL, OPT_APPDIR},
    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
    {"runtime", required_argument, NULL, OPT_RUNTIME},
    {"entry", required_argument, NULL, OPT_ENTRY},
    {"program", required_argument, NULL, OPT_PROGRAM},
    {"exclude", required_argument, NULL, OPT_EXCLUDE},
    {"desktop-file", required_argument, NULL, OPT_DESKTOP_FILE},
    {"icon", required_argument, NULL, OPT_ICON},
    {"update-info", required_argument, NULL, OPT_UPDATE_INFO},
    {"sign", required_argument, NULL, OPT_SIGN},
    {"zsync", no_argument, NULL, OPT_ZSYNC},
    {"zsync-output", required_argument, NULL, OPT_ZSYNC_OUTPUT},
    {"sha256", no_argument, NULL, OPT_SHA256},
    {"sha256-output", required_argument, NULL, OPT_SHA256_OUTPUT},
    {"release-name", required_argument, NULL, OPT_RELEASE_NAME},
    {"compression", required_argument, NULL, 'c'},
    {"level", required_argument, NULL, 'l'},
    {"block-size", required_argument, NULL, 'b'},
    {"jobs", required_argument, NULL, 'j'},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"nix-builder", no_argument, NULL, OPT_NIX_BUILDER},
    {NULL, 0, NULL, 0},
};

static const char usage_text[] =
    "Usage: squashnix [OPTIONS] STORE_PATH...\n"
    "       squashnix [OPTIONS] --closure FILE|- [STORE_PATH...]\n"
    "       squashnix [OPTIONS] --appdir DIR\n"
    "       squashnix inspect FILE\n"
    "       squashnix verify FILE\n"
    "       squashnix --nix-builder\n"
    "\n"
    "Bundles a Nix package (the closure of STORE_PATH) into one AppImage type 2 file that runs\n"
    "on Linux machines without Nix.\n"
    "\n"
    "Input:\n"
    "      --closure FILE|-     read the closure from FILE (- = standard input): JSON from\n"
    "                           `nix path-info --json --recursive`, or .attrs.json\n"
    "      --closure-key NAME   the exportReferencesGraph key in an .attrs.json FILE\n"
    "      --appdir DIR         bundle a ready AppDir (DIR/AppRun executable) as appimagetool\n"
    "      --dry-run            print the closure (paths, count, NAR size); write nothing\n"
    "What goes in:\n"
    "      --program PATH       program to run: relative to the first store path, or an\n"
    "                           absolute store path (default: bin/<name>, else the only\n"
    "                           executable in bin/)\n"
    "      --exclude GLOB       leave out files whose path below /nix/store matches GLOB\n"
    "                           (fnmatch, '*' crosses '/'; e.g. '*.a', '*/include/*');\n"
    "                           repeatable. Never the program, its interpreter or the entry\n"
    "      --entry FILE         the /AppRun entry (default: the installed one)\n"
    "      --desktop-file FILE  the .desktop file (default: the package's own)\n"
    "      --icon FILE          the icon, PNG or SVG (default: resolved from Icon=)\n"
    "The file:\n"
    "  -o, --output FILE        output (default: ./<name>-<version>-<arch>.AppImage)\n"
    "      --runtime FILE       AppImage type 2 runtime (default: the installed one)\n"
    "      --update-info STR    'zsync|URL' or 'gh-releases-zsync|USER|REPO|RELEASE|FILE'\n"
    "  -c, --compression ALG    zstd (default), xz, gzip, lz4, none\n"
    "  -l, --level N            compression level (default: the algorithm's)\n"
    "  -b, --block-size SIZE    bytes or with K/M suffix, power of two, 4K..1M (default 128K)\n"
    "  -j, --jobs N             compression threads (default 0 = all CPUs)\n"
    "Publishing (see README, \"Publishing releases\"):\n"
    "      --sign KEY_ID        sign the file with this GnuPG key (gpg --local-user; from\n"
    "                           GNUPGHOME or ~/.gnupg, no passphrase prompt): the signature\n"
    "                           goes into .sha256_sig, the public key into .sig_key\n"
    "      --zsync              also write OUTPUT.zsync, for delta updates (zsync,\n"
    "                           appimageupdatetool); its URL is the file's name, relative\n"
    "      --sha256             also write OUTPUT.sha256 (sha256sum -c checks it)\n"
    "      --release-name NAME  the file name the bundle is published under, used in the\n"
    "                           .zsync and .sha256 (default: OUTPUT's base name)\n"
    "      --zsync-output FILE  write the .zsync to FILE instead (implies --zsync)\n"
    "      --sha256-output FILE write the .sha256 to FILE instead (implies --sha256)\n"
    "Output:\n"
    "  -q, --quiet              print errors only\n"
    "  -v, --verbose            list what goes into the image\n"
    "  -h, --help               this text\n"
    "  -V, --version            print the version\n"
    "\n"
    "inspect FILE: prints the runtime, image offset, compression, program, closure, update\n"
    "information and whether the MD5 digest matches.\n"
    "verify FILE: checks FILE's signature (--sign) against the public key it carries and prints\n"
    "who signed it and the key's fingerprint: compare that with the key you trust.\n"
    "--nix-builder: the builder of nix/mk-appimage.nix; reads $NIX_ATTRS_JSON_FILE or\n"
    "./.attrs.json and writes the AppImage to its \"out\" output.\n"
    "\n"
    "The default runtime and entry (files `runtime` and `AppRun`) are looked up in the\n"
    "directory of the squashnix executable, then in <that directory>/../lib/squashnix, then in\n"
    "" SQUASHNIX_LIBDIR ".\n"
    "SOURCE_DATE_EPOCH, when set, is every time in the image (default: 1, as in the Nix store).\n"
    "\n"
    "Exit status: 0 success; 1 bad input or usage (nothing written); 2 system or I/O error\n"
    "(nothing written); 3 inspect: the digest does not match, verify: the file is unsigned or\n"
    "its signature is bad; 130/143 interrupted by SIGINT/SIGTERM (nothing written). \"Nothing\n"
    "written\" covers the .zsync and .sha256 files too.\n";

const char *options_usage(void)
{
    return usage_text;
}

int options_parse_size(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0)
        return -1;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    if (shift != 0)
        end++;
    if (*end != '\0' || v > (UINT64_MAX >> shift))
        return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

static int parse_int(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int push(const char ***list, size_t *n, const char *s, struct sn_error *err)
{
    const char **grown = realloc(*list, (*n + 1) * sizeof(**list));
    if (!grown)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory parsing options");
    grown[(*n)++] = s;
    *list = grown;
    return 0;
}

static int set_block_size(struct sn_options *o, const char *arg, struct sn_error *err)
{
    uint64_t v;
    if (options_parse_size(arg, &v) < 0 || v < 4096 || v > (1u << 20) || (v & (v - 1)) != 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "--block-size '%s': expected a power of two from 4K to 1M (bytes, or "
                            "with a K or M suffix)",
                            arg);
    o->block_size = (uint32_t)v;
    return 0;
}

static int set_level(struct sn_options *o, const char *arg, struct sn_error *err)
{
    long v;
    if (parse_int(arg, 0, 1000, &v) < 0)
        return sn_error_set(err, SN_ERR_INPUT, "--level '%s': expected a number", arg);
    o->level = (int)v;
    return 0;
}

static int set_jobs(struct sn_options *o, const char *arg, struct sn_error *err)
{
    long v;
    if (parse_int(arg, 0, 1024, &v) < 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "--jobs '%s': expected a number from 0 (all CPUs) to 1024", arg);
    o->jobs = (unsigned)v;
    return 0;
}

static int set_compression(struct sn_options *o, const char *arg, struct sn_error *err)
{
    if (sqw_compressor_parse(arg, &o->compressor) < 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "--compression '%s': unknown; use zstd, xz, gzip, lz4 or none", arg);
    return 0;
}

/* Applies one option C with argument ARG (NULL for flags). */
static int apply(struct sn_options *o, int c, const char *arg, struct sn_error *err)
{
    switch (c) {
    case 'o':
        o->output = arg;
        return 0;
    case OPT_CLOSURE:
        o->closure_file = arg;
        return 0;
    case OPT_CLOSURE_KEY:
        o->closure_key = arg;
        return 0;
    case OPT_APPDIR:
        o->appdir = arg;
        return 0;
    case OPT_DRY_RUN:
        o->dry_run = 1;
        return 0;
    case OPT_RUNTIME:
        o->runtime = arg;
        return 0;
    case OPT_ENTRY:
        o->entry = arg;
        return 0;
    case OPT_PROGRAM:
        o->program = arg;
        return 0;
    case OPT_EXCLUDE:
        return push(&o->excludes, &o->n_excludes, arg, err);
    case OPT_DESKTOP_FILE:
        o->desktop_file = arg;
        return 0;
    case OPT_ICON:
        o->icon = arg;
        return 0;
    case OPT_UPDATE_INFO:
        o->update_info = arg;
        return 0;
    case OPT_SIGN:
        o->sign_key = arg;
        return 0;
    case OPT_ZSYNC_OUTPUT:
        o->zsync_output = arg;
        /* fall through */
    case OPT_ZSYNC:
        o->zsync = 1;
        return 0;
    case OPT_SHA256_OUTPUT:
        o->sha256_output = arg;
        /* fall through */
    case OPT_SHA256:
        o->sha256 = 1;
        return 0;
    case OPT_RELEASE_NAME:
        o->release_name = arg;
        return 0;
    case 'c':
        return set_compression(o, arg, err);
    case 'l':
        return set_level(o, arg, err);
    case 'b':
        return set_block_size(o, arg, err);
    case 'j':
        return set_jobs(o, arg, err);
    case 'q':
        o->quiet = 1;
        return 0;
    case 'v':
        o->verbose = 1;
        return 0;
    case 'h':
        o->mode = SN_MODE_HELP;
        return 0;
    case 'V':
        o->mode = SN_MODE_VERSION;
        return 0;
    case OPT_NIX_BUILDER:
        o->mode = SN_MODE_NIX_BUILDER;
        return 0;
    default:
        return sn_error_set(err, SN_ERR_INPUT, "unknown option (see squashnix --help)");
    }
}

static int check_level(const struct sn_options *o, struct sn_error *err)
{
    int min, max;
    if (o->level < 0)
        return 0;
    sqw_compressor_level_range(o->compressor, &min, &max);
    if (o->level < min || o->level > max)
        return sn_error_set(err, SN_ERR_INPUT, "--level %d: %s takes levels %d to %d", o->level,
                            sqw_compressor_name(o->compressor), min, max);
    return 0;
}

/* The publishing options: checked here so that a typo fails before the image is built. */
static int check_release(const struct sn_options *o, struct sn_error *err)
{
    const char *n = o->release_name;
    if (o->dry_run && (o->sign_key || o->zsync || o->sha256 || n))
        return sn_error_set(err, SN_ERR_INPUT,
                            "--dry-run writes nothing: it takes no --sign, --zsync, --sha256 or "
                            "--release-name");
    if (n && (!*n || strpbrk(n, "/\\\n\r") || !strcmp(n, ".") || !strcmp(n, "..")))
        return sn_error_set(err, SN_ERR_INPUT,
                            "--release-name '%s': expected a file name (no '/', backslash or "
                            "newline)",
                            n);
    if (o->sign_key && !*o->sign_key)
        return sn_error_set(err, SN_ERR_INPUT, "--sign: empty key id");
    if ((o->zsync_output && !*o->zsync_output) || (o->sha256_output && !*o->sha256_output))
        return sn_error_set(err, SN_ERR_INPUT, "--zsync-output/--sha256-output: empty file name");
    return 0;
}

/* Options that make no sense together or alone. */
static int check_bundle(const struct sn_options *o, struct sn_error *err)
{
    if (o->appdir) {
        if (o->n_store_paths || o->closure_file || o->program || o->n_excludes || o->entry)
            return sn_error_set(err, SN_ERR_INPUT,
                                "--appdir bundles DIR as it is: it takes no store path, "
                                "--closure, --program, --exclude or --entry");
        if (o->dry_run)
            return sn_error_set(err, SN_ERR_INPUT, "--dry-run prints a closure; --appdir has none");
    } else if (!o->n_store_paths && !o->closure_file) {
        return sn_error_set(err, SN_ERR_INPUT,
                            "no store path given: squashnix [OPTIONS] STORE_PATH... (see "
                            "squashnix --help)");
    }
    if (check_release(o, err) < 0)
        return -1;
    if (o->closure_key && !o->closure_file)
        return sn_error_set(err, SN_ERR_INPUT, "--closure-key NAME needs --closure FILE");
    if (o->output && o->output[0] == '\0')
        return sn_error_set(err, SN_ERR_INPUT, "--output: empty file name");
    return check_level(o, err);
}

static void defaults(struct sn_options *o)
{
    memset(o, 0, sizeof(*o));
    o->mode = SN_MODE_BUNDLE;
    o->compressor = SQW_ZSTD;
    o->level = -1;
}

static int parse_inspect(int argc, char *const *argv, struct sn_options *o, struct sn_error *err)
{
    o->mode = SN_MODE_INSPECT;
    if (argc == 3 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
        o->mode = SN_MODE_HELP;
        return 0;
    }
    if (argc != 3 || argv[2][0] == '-')
        return sn_error_set(err, SN_ERR_INPUT, "usage: squashnix inspect FILE");
    o->inspect_file = argv[2];
    return 0;
}

static int parse_verify(int argc, char *const *argv, struct sn_options *o, struct sn_error *err)
{
    o->mode = SN_MODE_VERIFY;
    if (argc == 3 && (!strcmp(argv[2], "-h") || !strcmp(argv[2], "--help"))) {
        o->mode = SN_MODE_HELP;
        return 0;
    }
    if (argc != 3 || argv[2][0] == '-')
        return sn_error_set(err, SN_ERR_INPUT, "usage: squashnix verify FILE");
    o->verify_file = argv[2];
    return 0;
}

int options_parse(int argc, char *const *argv, struct sn_options *out, struct sn_error *err)
{
    defaults(out);
    if (argc >= 2 && strcmp(argv[1], "inspect") == 0)
        return parse_inspect(argc, argv, out, err);
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return parse_verify(argc, argv, out, err);
    opterr = 0;
    optind = 0; /* GNU: restart scanning (also resets its internal state) */
    int c;
    while ((c = getopt_long(argc, argv, ":o:c:l:b:j:qvhV", long_options, NULL)) != -1) {
        if (c == '?' || c == ':') {
            sn_error_set(err, SN_ERR_INPUT, "%s '%s' (see squashnix --help)",
                         c == ':' ? "missing argument for option" : "unknown option",
                         argv[optind - 1]);
            goto fail;
        }
        if (apply(out, c, optarg, err) < 0)
            goto fail;
    }
    for (int i = optind; i < argc; i++)
        if (push(&out->store_paths, &out->n_store_paths, argv[i], err) < 0)
            goto fail;
    if (out->mode == SN_MODE_NIX_BUILDER && argc != 2) {
        sn_error_set(err, SN_ERR_INPUT,
                     "--nix-builder takes no other argument: options come from .attrs.json");
        goto fail;
    }
    if (out->mode != SN_MODE_BUNDLE || check_bundle(out, err) == 0)
        return 0;
fail:
    options_free(out);
    return -1;
}

void options_free(struct sn_options *o)
{
    free(o->store_paths);
    free(o->excludes);
    o->store_paths = NULL;
    o->excludes = NULL;
    o->n_store_paths = o->n_excludes = 0;
}
