/* squashnix: from a Nix package to one AppImage file. main() and the command's user interface:
 * what to print and which exit status to use. The work is done by the library modules. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "appimage.h"
#include "bundle.h"
#include "closure.h"
#include "desktop.h"
#include "error.h"
#include "image.h"
#include "input.h"
#include "inspect.h"
#include "nix_builder.h"
#include "options.h"
#include "output.h"
#include "program.h"
#include "progress.h"
#include "regular_file.h"
#include "signature.h"

enum {
    EXIT_OK = 0,
    EXIT_INPUT = 1,    /* bad input or usage: nothing written */
    EXIT_SYSTEM = 2,   /* a system call or I/O failed: nothing written */
    EXIT_MISMATCH = 3, /* inspect: the digest does not match; verify: unsigned or bad signature */
};

static int fail(const struct sn_error *err)
{
    fprintf(stderr, "squashnix: %s\n", err->msg);
    return err->kind == SN_ERR_INPUT ? EXIT_INPUT : EXIT_SYSTEM;
}

/* SOURCE_DATE_EPOCH: -1 when unset or empty, the value when valid. */
static int source_date_epoch(int64_t *out, struct sn_error *err)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    *out = -1;
    if (!s || !*s)
        return 0;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || *s < '0' || *s > '9')
        return sn_error_set(err, SN_ERR_INPUT,
                            "SOURCE_DATE_EPOCH='%s': expected seconds since 1970 (a non-negative "
                            "integer)",
                            s);
    *out = v;
    return 0;
}

static int exists(const char *dir, const char *name)
{
    char path[PATH_MAX];
    return (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) < sizeof(path) &&
           access(path, F_OK) == 0;
}

/* The directory holding the default runtime and entry (see --help). */
static int default_libdir(char *buf, size_t len, struct sn_error *err)
{
    char exe[PATH_MAX], lib[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0';
        snprintf(lib, sizeof(lib), "%s/../lib/squashnix", exe);
        if (exists(exe, "runtime") && exists(exe, "AppRun"))
            return snprintf(buf, len, "%s", exe) < 0 ? -1 : 0;
        if (exists(lib, "runtime") && exists(lib, "AppRun"))
            return snprintf(buf, len, "%s", lib) < 0 ? -1 : 0;
    }
    if (exists(SQUASHNIX_LIBDIR, "runtime") && exists(SQUASHNIX_LIBDIR, "AppRun"))
        return snprintf(buf, len, "%s", SQUASHNIX_LIBDIR) < 0 ? -1 : 0;
    return sn_error_set(err, SN_ERR_INPUT,
                        "no runtime and AppRun beside the squashnix executable, in "
                        "../lib/squashnix or in %s: install squashnix (make install) or give "
                        "--runtime FILE and --entry FILE",
                        SQUASHNIX_LIBDIR);
}

struct paths {
    char libdir[PATH_MAX];
    char runtime[PATH_MAX + 16];
    char entry[PATH_MAX + 16];
    char output[PATH_MAX];
};

static int resolve_defaults(const struct sn_options *o, struct paths *p, struct sn_error *err)
{
    if ((!o->runtime || (!o->entry && !o->appdir)) &&
        default_libdir(p->libdir, sizeof(p->libdir), err) < 0)
        return -1;
    snprintf(p->runtime, sizeof(p->runtime), "%s%s%s", o->runtime ? "" : p->libdir,
             o->runtime ? "" : "/", o->runtime ? o->runtime : "runtime");
    snprintf(p->entry, sizeof(p->entry), "%s%s%s", o->entry ? "" : p->libdir, o->entry ? "" : "/",
             o->entry ? o->entry : "AppRun");
    return 0;
}

/* The entry must be a regular file: checked before the closure is read. */
static int check_entry(const char *entry, struct sn_error *err)
{
    struct stat st;
    if (stat(entry, &st) < 0)
        return sn_error_set(err, SN_ERR_INPUT, "entry %s: %s (give --entry FILE)", entry,
                            strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sn_error_set(err, SN_ERR_INPUT, "entry %s: not a regular file", entry);
    return 0;
}

static void default_output(const char *top, char *buf, size_t len)
{
    const char *base = strrchr(top, '/') + 1;
    const char *store_name = strchr(base, '-') ? strchr(base, '-') + 1 : base;
    char copy[256], name[256], version[256];
    snprintf(copy, sizeof(copy), "%s", store_name);
    program_split_name(copy, name, version);
    snprintf(buf, len, "%s%s%s-%s.AppImage", name, *version ? "-" : "", version, appimage_arch());
}

static void appdir_output(const char *dir, char *buf, size_t len)
{
    char copy[PATH_MAX];
    snprintf(copy, sizeof(copy), "%s", dir);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    const char *base = strrchr(copy, '/') ? strrchr(copy, '/') + 1 : copy;
    size_t blen = strlen(base);
    if (blen > 7 && strcmp(base + blen - 7, ".AppDir") == 0)
        blen -= 7;
    snprintf(buf, len, "%.*s-%s.AppImage", (int)blen, base, appimage_arch());
}

static void print_dry_run(const struct closure *c)
{
    char size[32];
    for (size_t i = 0; i < closure_count(c); i++)
        printf("%s\n", closure_at(c, i)->path);
    progress_size(closure_nar_total(c), size, sizeof(size));
    printf("%zu store paths, %s NAR size (%" PRIu64 " bytes)\n", closure_count(c), size,
           closure_nar_total(c));
}

static void print_item(void *ctx, const char *image_path, const char *source)
{
    (void)ctx;
    fprintf(stderr, "  /%s%s%s\n", image_path[0] == '/' ? image_path + 1 : image_path,
            source ? " <- " : "", source ? source : "");
}

static void print_summary(const char *output, const struct bundle_stats *s, uint64_t excluded,
                          double seconds)
{
    char in[32], img[32], rt[32], file[32], dedup[32], excl[32];
    progress_size(s->image.input_bytes, in, sizeof(in));
    progress_size(s->image.image_bytes, img, sizeof(img));
    progress_size(s->offset, rt, sizeof(rt));
    progress_size(s->file_bytes, file, sizeof(file));
    progress_size(s->image.dedup_bytes, dedup, sizeof(dedup));
    progress_size(excluded, excl, sizeof(excl));
    double ratio = s->image.input_bytes
                       ? 100.0 * (double)s->image.image_bytes / (double)s->image.input_bytes
                       : 0;
    fprintf(stderr,
            "squashnix: wrote %s: %s in, %s image (%.1f%%) + %s runtime = %s, %.1f s, %s saved "
            "by deduplication, %s excluded\n",
            output, in, img, ratio, rt, file, seconds, dedup, excl);
}

/* Writer options from the command line. */
static struct sqw_options writer_options(const struct sn_options *o, int64_t sde)
{
    struct sqw_options w;
    memset(&w, 0, sizeof(w));
    w.compressor = o->compressor;
    w.level = o->level;
    w.block_size = o->block_size;
    w.jobs = o->jobs;
    w.mtime = sde >= 0 ? sde : 1; /* 1: the Nix store's time, whatever the inputs' */
    /* Each store path (nix/store/<path>: depth 3) packs its own fragments, so an unchanged one
     * keeps its bytes from one version to the next: delta updates fetch only what changed. */
    w.fragment_group_depth = o->appdir ? 0 : 3;
    return w;
}

/* The release files' paths: OUTPUT.zsync and OUTPUT.sha256 unless given. */
struct release_paths {
    char zsync[PATH_MAX + 8];
    char sha256[PATH_MAX + 8];
};

/* What goes with the bundle, from the command line. The .zsync's MTime must be reproducible: with
 * SOURCE_DATE_EPOCH, the bundle's modification time is set to it. */
static struct bundle_release release_options(const struct sn_options *o, const char *output,
                                             int64_t sde, struct release_paths *rp)
{
    struct bundle_release r = {.sign_key = o->sign_key, .name = o->release_name, .mtime = -1};
    snprintf(rp->zsync, sizeof(rp->zsync), "%s.zsync", output);
    snprintf(rp->sha256, sizeof(rp->sha256), "%s.sha256", output);
    if (o->zsync)
        r.zsync_path = o->zsync_output ? o->zsync_output : rp->zsync;
    if (o->sha256)
        r.sha256_path = o->sha256_output ? o->sha256_output : rp->sha256;
    if (o->zsync && sde >= 0)
        r.mtime = sde;
    return r;
}

static void print_release(const struct bundle_release *r)
{
    if (r->sign_key)
        fprintf(stderr, "squashnix: signed with %s\n", r->sign_key);
    if (r->zsync_path)
        fprintf(stderr, "squashnix: wrote %s\n", r->zsync_path);
    if (r->sha256_path)
        fprintf(stderr, "squashnix: wrote %s\n", r->sha256_path);
}

/* Writes the tree T to OUTPUT with a progress bar on a terminal, then prints the summary. */
static int write_bundle(const struct sn_options *o, const struct paths *p, const char *output,
                        const struct sqw_tree *t, int64_t sde, double start)
{
    struct sn_error err = {0};
    struct bundle_stats stats;
    struct release_paths rp;
    struct bundle_release rel = release_options(o, output, sde, &rp);
    struct sqw_options w = writer_options(o, sde);
    struct progress *bar = !o->quiet && isatty(STDERR_FILENO) ? progress_new(stderr) : NULL;
    if (bar) {
        w.progress = progress_update;
        w.progress_ctx = bar;
    }
    memset(&stats, 0, sizeof(stats));
    int rc = bundle_write(output, p->runtime, t, &w, o->update_info, &rel, &stats, &err);
    progress_free(bar);
    if (rc < 0)
        return fail(&err);
    if (!o->quiet) {
        print_summary(output, &stats, sqw_tree_excluded_bytes(t), progress_now() - start);
        print_release(&rel);
    }
    return EXIT_OK;
}

static int run_appdir(const struct sn_options *o, struct paths *p, int64_t sde, double start)
{
    struct sn_error err = {0};
    struct appimage_layout l;
    struct sqw_tree *t;
    if (o->update_info && appimage_check_update_info(o->update_info, &err) < 0)
        return fail(&err);
    if (bundle_check_runtime(p->runtime, &l, &err) < 0 ||
        image_build_appdir(o->appdir, &t, &err) < 0)
        return fail(&err);
    if (o->output)
        snprintf(p->output, sizeof(p->output), "%s", o->output);
    else
        appdir_output(o->appdir, p->output, sizeof(p->output));
    int rc = write_bundle(o, p, p->output, t, sde, start);
    sqw_tree_free(t);
    return rc;
}

/* Chooses the program and the desktop integration, builds the tree and writes the file. */
static int bundle_closure(const struct sn_options *o, struct paths *p, const struct closure *c,
                          const char *top, int64_t sde, double start)
{
    struct sn_error err = {0};
    struct desktop desk;
    struct sqw_tree *t = NULL;
    char *program = NULL, store[PATH_MAX];
    if (program_choose(top, o->program, &program, &err) < 0)
        return fail(&err);
    if (program_store_path(program, store, sizeof(store)) < 0 || !closure_find(c, store)) {
        sn_error_set(&err, SN_ERR_INPUT, "--program %s is not in the closure of %s", program, top);
        free(program);
        return fail(&err);
    }
    if (desktop_collect(top, program, o->desktop_file, o->icon, &desk, &err) < 0) {
        free(program);
        return fail(&err);
    }
    if (desk.warning[0] && !o->quiet)
        fprintf(stderr, "squashnix: warning: %s\n", desk.warning);
    struct image_spec spec = {
        .closure = c,
        .program = program,
        .entry = p->entry,
        .excludes = o->excludes,
        .n_excludes = o->n_excludes,
        .desktop = &desk,
        .compression = sqw_compressor_name(o->compressor),
        .level = o->level,
        .block_size = o->block_size,
        .source_date_epoch = sde,
        .on_item = o->verbose && !o->quiet ? print_item : NULL,
    };
    if (o->output)
        snprintf(p->output, sizeof(p->output), "%s", o->output);
    else
        default_output(top, p->output, sizeof(p->output));
    int rc = image_build_closure(&spec, &t, &err) < 0
                 ? fail(&err)
                 : write_bundle(o, p, p->output, t, sde, start);
    sqw_tree_free(t);
    desktop_free(&desk);
    free(program);
    return rc;
}

static int run_closure(const struct sn_options *o, struct paths *p, int64_t sde, double start)
{
    struct sn_error err = {0};
    struct appimage_layout l;
    struct closure *c = NULL;
    char **paths = NULL, top[PATH_MAX];
    int rc = EXIT_OK;
    if (!o->dry_run &&
        ((o->update_info && appimage_check_update_info(o->update_info, &err) < 0) ||
         bundle_check_runtime(p->runtime, &l, &err) < 0 || check_entry(p->entry, &err) < 0))
        return fail(&err);
    if (input_store_paths(o, &paths, &err) < 0)
        return fail(&err);
    if (input_load_closure(o, paths, o->n_store_paths, &c, &err) < 0)
        rc = fail(&err);
    else if (o->dry_run)
        print_dry_run(c);
    else if (input_top_path(o, paths, o->n_store_paths, c, top, sizeof(top), &err) < 0)
        rc = fail(&err);
    else
        rc = bundle_closure(o, p, c, top, sde, start);
    closure_free(c);
    input_free_paths(paths, o->n_store_paths);
    return rc;
}

static int run_bundle(const struct sn_options *o)
{
    struct sn_error err = {0};
    struct paths p;
    int64_t sde;
    double start = progress_now();
    memset(&p, 0, sizeof(p));
    if (source_date_epoch(&sde, &err) < 0 || output_install_signal_handlers(&err) < 0)
        return fail(&err);
    if (!o->dry_run && resolve_defaults(o, &p, &err) < 0)
        return fail(&err);
    return o->appdir ? run_appdir(o, &p, sde, start) : run_closure(o, &p, sde, start);
}

static void print_hex(const unsigned char *d)
{
    for (int i = 0; i < MD5_DIGEST_LEN; i++)
        printf("%02x", d[i]);
}

static int run_inspect(const char *file)
{
    struct sn_error err = {0};
    struct inspect_info in;
    if (inspect_file(file, &in, &err) < 0)
        return fail(&err);
    size_t paths = 0;
    for (const char *s = in.closure; s && *s; s++)
        paths += *s == '\n';
    printf("file:        %s (%" PRIu64 " bytes)\n", file, in.file_bytes);
    printf("runtime:     %s, %" PRIu64 " bytes\n",
           in.runtime_version[0] ? in.runtime_version : "not a squashnix runtime (version unknown)",
           in.layout.elf_end);
    printf("offset:      %" PRIu64 "\n", in.layout.elf_end);
    printf("compression: %s, block size %u\n", in.compression, in.block_size);
    printf("program:     %s\n", in.program[0] ? in.program : "(no /entrypoint)");
    printf("update info: %s\n", in.update_info[0] ? in.update_info : "(none)");
    printf("digest:      ");
    print_hex(in.digest_stored);
    printf(in.digest_ok ? " (matches)\n" : " (DOES NOT MATCH: computed ");
    if (!in.digest_ok) {
        print_hex(in.digest_computed);
        printf(")\n");
    }
    printf("closure:     %zu store paths\n", paths);
    if (in.closure)
        fputs(in.closure, stdout);
    int rc = in.digest_ok ? EXIT_OK : EXIT_MISMATCH;
    inspect_free(&in);
    return rc;
}

static int run_verify(const char *file)
{
    struct sn_error err = {0};
    struct appimage_layout l;
    struct signature_info info;
    int fd = regular_file_open(file, "bundle", &err);
    if (fd < 0)
        return fail(&err);
    if (appimage_read_layout(fd, file, &l, &err) < 0) {
        close(fd);
        return fail(&err);
    }
    int rc = signature_verify(fd, file, &info, &err);
    close(fd);
    if (rc < 0) {
        fprintf(stderr, "squashnix: %s\n", err.msg);
        return err.kind == SN_ERR_INPUT ? EXIT_MISMATCH : EXIT_SYSTEM;
    }
    printf("file:        %s\n", file);
    printf("signature:   good\n");
    printf("signer:      %s\n", info.signer);
    printf("fingerprint: %s\n", info.fingerprint);
    return EXIT_OK;
}

static int read_attrs(const char *path, char **text, size_t *len, struct sn_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sn_error_errno(err, errno,
                              "--nix-builder: opening %s (set NIX_ATTRS_JSON_FILE, or run as the "
                              "builder of a derivation with __structuredAttrs = true)",
                              path);
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > (64 << 20)) {
        close(fd);
        return sn_error_set(err, SN_ERR_INPUT,
                            "--nix-builder: %s is not a regular file of at "
                            "most 64 MiB",
                            path);
    }
    *text = malloc((size_t)st.st_size + 1);
    ssize_t n = *text ? read(fd, *text, (size_t)st.st_size) : -1;
    close(fd);
    if (n != st.st_size) {
        free(*text);
        return sn_error_set(err, SN_ERR_SYSTEM, "--nix-builder: reading %s failed", path);
    }
    *len = (size_t)n;
    return 0;
}

/* Nix creates no output: the directory outputs that hold the release files are made here. */
static int make_output_dir(const char *file, struct sn_error *err)
{
    char dir[PATH_MAX];
    if (!file)
        return 0;
    snprintf(dir, sizeof(dir), "%s", file);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return sn_error_errno(err, errno, "--nix-builder: creating the output %s", dir);
    return 0;
}

/* The options from .attrs.json (with extraArgs) must describe a bundle written into the outputs. */
static int check_builder_options(const struct sn_options *o, struct sn_error *err)
{
    if (o->mode != SN_MODE_BUNDLE || o->dry_run || o->appdir)
        return sn_error_set(err, SN_ERR_INPUT,
                            "--nix-builder: squashnix.extraArgs may not change the mode (--help, "
                            "--version, --nix-builder, --dry-run, --appdir, inspect, verify)");
    if ((o->zsync && !o->zsync_output) || (o->sha256 && !o->sha256_output))
        return sn_error_set(err, SN_ERR_INPUT,
                            "--nix-builder: --zsync and --sha256 would write outside the "
                            "derivation's outputs: use mkAppImage's zsync = true and sha256 = "
                            "true instead");
    return 0;
}

static int prepare_builder(const struct sn_options *o, struct sn_error *err)
{
    /* Every time in a Nix build is the store's, 1: the .zsync's MTime too. */
    if (setenv("SOURCE_DATE_EPOCH", "1", 0) < 0)
        return sn_error_errno(err, errno, "setenv SOURCE_DATE_EPOCH");
    if (check_builder_options(o, err) < 0 || make_output_dir(o->zsync_output, err) < 0)
        return -1;
    return make_output_dir(o->sha256_output, err);
}

static int run_nix_builder(void)
{
    struct sn_error err = {0};
    struct nix_builder_args args;
    struct sn_options o;
    const char *attrs = nix_builder_attrs_path();
    char *text = NULL;
    size_t len = 0;
    if (read_attrs(attrs, &text, &len, &err) < 0)
        return fail(&err);
    int rc = nix_builder_args(attrs, text, len, getenv("NIX_BUILD_CORES"), &args, &err);
    free(text);
    if (rc < 0)
        return fail(&err);
    if (options_parse(args.argc, args.argv, &o, &err) < 0) {
        nix_builder_args_free(&args);
        return fail(&err);
    }
    rc = prepare_builder(&o, &err) < 0 ? fail(&err) : run_bundle(&o);
    options_free(&o);
    nix_builder_args_free(&args);
    return rc;
}

int main(int argc, char **argv)
{
    struct sn_error err = {0};
    struct sn_options o;
    if (options_parse(argc, argv, &o, &err) < 0) {
        fail(&err);
        return EXIT_INPUT;
    }
    int rc;
    switch (o.mode) {
    case SN_MODE_HELP:
        fputs(options_usage(), stdout);
        rc = EXIT_OK;
        break;
    case SN_MODE_VERSION:
        printf("squashnix %s\n", SQUASHNIX_VERSION);
        rc = EXIT_OK;
        break;
    case SN_MODE_INSPECT:
        rc = run_inspect(o.inspect_file);
        break;
    case SN_MODE_VERIFY:
        rc = run_verify(o.verify_file);
        break;
    case SN_MODE_NIX_BUILDER:
        rc = run_nix_builder();
        break;
    default:
        rc = run_bundle(&o);
        break;
    }
    options_free(&o);
    return rc;
}
