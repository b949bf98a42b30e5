/* The environment contract with the program (AppImage type 2): which file is the AppImage, and the
 * variables every mode sets before running $APPDIR/AppRun. */
#ifndef SQUASHNIX_RT_ENV_H
#define SQUASHNIX_RT_ENV_H

#include "rt_error.h"

/* The AppImage's absolute path (the caller frees it): $TARGET_APPIMAGE when set and not empty
 * (resolved with realpath), else this executable (/proc/self/exe). */
int rt_appimage_path(char **out, struct rt_error *err);

/* Sets APPIMAGE, APPDIR, ARGV0 and OWD (the working directory the runtime was started in), and HOME
 * / XDG_CONFIG_HOME when a portable <appimage>.home / <appimage>.config directory exists. */
int rt_env_for_program(const char *appimage, const char *appdir, const char *argv0,
                       struct rt_error *err);

/* Creates the portable directory <appimage><suffix> (".home" or ".config"), mode 0755; an existing
 * directory is fine. Sets *path to it (the caller frees it). */
int rt_portable_create(const char *appimage, const char *suffix, char **path, struct rt_error *err);

#endif
