/* Removing a directory tree this process made (an extraction): read-only directories from an image
 * are made writable first; symbolic links are removed, never followed. */
#ifndef SQUASHNIX_RT_RMTREE_H
#define SQUASHNIX_RT_RMTREE_H

/* Removes the tree at path; a missing path is fine. Returns -1 (errno set) when something stayed.
 */
int rt_remove_tree(const char *path);

#endif
