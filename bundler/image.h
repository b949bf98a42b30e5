/* The image tree of a bundle, as docs/design.md lays it out: the closure under /nix/store (minus
 * --exclude matches, never the program or its interpreter), /AppRun, /entrypoint, /mountroot,
 * desktop integration and /.squashnix/{closure,info.json}. Or, for --appdir, a ready AppDir as it
 * is. Library code: never prints or exits; what goes in is reported through ON_ITEM. */
#ifndef SQUASHNIX_IMAGE_H
#define SQUASHNIX_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "closure.h"
#include "desktop.h"
#include "error.h"
#include "squashfs/writer.h"

struct image_spec {
    const struct closure *closure;
    const char *program; /* absolute store path of the program (/entrypoint's target) */
    const char *entry;   /* host file copied to /AppRun */
    const char *const *excludes;
    size_t n_excludes;
    const struct desktop *desktop;
    /* Recorded in /.squashnix/info.json. */
    const char *compression;
    int level;
    uint32_t block_size;
    int64_t source_date_epoch; /* < 0: not set */
    /* Called for each thing put in the image (SOURCE may be NULL); may be NULL. */
    void (*on_item)(void *ctx, const char *image_path, const char *source);
    void *item_ctx;
};

/* Builds the tree for a closure bundle into *OUT (release with sqw_tree_free). */
int image_build_closure(const struct image_spec *spec, struct sqw_tree **out, struct sn_error *err);

/* Builds the tree of the AppDir DIR (which must hold an executable regular AppRun). */
int image_build_appdir(const char *dir, struct sqw_tree **out, struct sn_error *err);

/* Whether an exclude pattern list drops IMAGE_PATH (a /nix/store/... path): the path below
 * /nix/store/ matched with fnmatch (no flags: '*' also matches '/'). */
int image_excluded(const char *const *patterns, size_t n, const char *image_path);

#endif
