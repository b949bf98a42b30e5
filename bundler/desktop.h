/* Desktop integration as the AppImage specification asks: the package's .desktop file for the
 * program at the image root, its icon (Icon= resolved in share/icons and share/pixmaps: a 256x256
 * PNG first, then the largest PNG, then SVG) at the root and as .DirIcon, and AppStream metadata
 * in usr/share/metainfo/. Library code: never prints; what is missing is returned as a warning. */
#ifndef SQUASHNIX_DESKTOP_H
#define SQUASHNIX_DESKTOP_H

#include <stddef.h>

#include "error.h"

/* One file of the image: a copy of SOURCE at IMAGE_PATH, or (SOURCE NULL) a symlink to TARGET. */
struct desktop_item {
    char *image_path; /* without a leading '/' */
    char *source;
    char *target;
};

struct desktop {
    struct desktop_item *items;
    size_t n_items;
    char warning[1024]; /* empty, or what desktop integration will lack and how to add it */
};

/* Finds the desktop integration files of TOP (a store path) for PROGRAM (its absolute path).
 * DESKTOP_FILE and ICON override the package's (NULL: none given). Fills OUT (release with
 * desktop_free). Errors only for bad overrides or failing I/O; a package without desktop files
 * is not an error (OUT->warning says so). */
int desktop_collect(const char *top, const char *program, const char *desktop_file,
                    const char *icon, struct desktop *out, struct sn_error *err);

void desktop_free(struct desktop *d);

/* The value of KEY in the [Desktop Entry] group of the desktop file TEXT, into BUF; -1 if absent.
 */
int desktop_entry_value(const char *text, const char *key, char *buf, size_t len);

#endif
