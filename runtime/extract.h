/* Extraction of a squashfs image to a directory with the runtime's own bounds-checked reader
 * (runtime/sqfs/; no FUSE, no mount):
 * directories, regular files (permission bits and mtimes kept, set-id bits dropped), symbolic
 * links and hard links; device nodes, FIFOs and sockets are skipped. Every file is created
 * relative to its parent's directory descriptor, never following a symbolic link, and names that
 * could escape the target ("", ".", "..", a '/') are refused, so nothing is written outside it. */
#ifndef SQUASHNIX_RT_EXTRACT_H
#define SQUASHNIX_RT_EXTRACT_H

#include "sqfs/sqfs.h"

#include "rt_error.h"

/* Extracts the image's tree under the directory open on root_fd. With a pattern, only entries whose
 * path (relative, no leading '/') matches it as fnmatch(3) with FNM_FILE_NAME | FNM_LEADING_DIR,
 * as type2-runtime matches, and the directories that lead to them. Existing directories are
 * entered; an existing non-directory at a path the image writes is replaced. */
int rt_extract(struct rt_sqfs *fs, int root_fd, const char *pattern, struct rt_error *err);

/* Whether name is safe as one path component: not empty, ".", "..", and without '/'. */
int rt_extract_name_ok(const char *name);

#endif
