/* The extraction cache: $XDG_CACHE_HOME/squashnix/<digest>/ (default ~/.cache), one complete tree
 * per image, made once and reused. The directory is 0700 and the user's; a tree is extracted into
 * a mkdtemp sibling and renamed into place under an flock, so racing launches wait for one
 * extraction and a killed one never leaves a tree that looks complete. */
#ifndef SQUASHNIX_RT_CACHE_H
#define SQUASHNIX_RT_CACHE_H

#include "squashfs_image.h"
#include "rt_error.h"

/* Returns (in *appdir, which the caller frees) the cached tree of img, extracting it first when it
 * is not there yet. */
int rt_cache_get(struct rt_image *img, char **appdir, struct rt_error *err);

#endif
