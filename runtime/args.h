/* The runtime's command line, AppImage type 2 style: only the first argument is looked at; when it
 * is an --appimage-* option it selects what the runtime does, and every other argument goes to the
 * program untouched. */
#ifndef SQUASHNIX_RT_ARGS_H
#define SQUASHNIX_RT_ARGS_H

#include "rt_error.h"

enum rt_action {
    RT_RUN,             /* no option: run the program, best way first */
    RT_EXTRACT,         /* --appimage-extract [PATTERN] */
    RT_EXTRACT_AND_RUN, /* --appimage-extract-and-run [ARGS...] */
    RT_MOUNT,           /* --appimage-mount */
    RT_OFFSET,          /* --appimage-offset */
    RT_HELP,            /* --appimage-help */
    RT_VERSION,         /* --appimage-version */
    RT_UPDATEINFO,      /* --appimage-updateinfo */
    RT_SIGNATURE,       /* --appimage-signature */
    RT_PORTABLE_HOME,   /* --appimage-portable-home */
    RT_PORTABLE_CONFIG, /* --appimage-portable-config */
};

struct rt_options {
    enum rt_action action;
    const char *pattern; /* RT_EXTRACT: the fnmatch pattern, or NULL for everything */
    int prog_argc;       /* the program's arguments (after argv[0]) */
    char **prog_argv;
};

/* Parses argv. Fails on an unknown --appimage-* option or on extra arguments to one that takes
 * none. */
int rt_options_parse(int argc, char **argv, struct rt_options *opts, struct rt_error *err);

/* Whether an environment flag is on: unset, empty and "0" are off, anything else is on. */
int rt_env_flag(const char *name);

#endif
