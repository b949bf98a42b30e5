#include "args.h"

#include <stdlib.h>
#include <string.h>

#define PREFIX "--appimage-"

struct option_name {
    const char *name;
    enum rt_action action;
    int max_args; /* arguments the option itself takes; -1: the rest goes to the program */
};

static const struct option_name names[] = {
    {"extract", RT_EXTRACT, 1},
    {"extract-and-run", RT_EXTRACT_AND_RUN, -1},
    {"mount", RT_MOUNT, 0},
    {"offset", RT_OFFSET, 0},
    {"help", RT_HELP, 0},
    {"version", RT_VERSION, 0},
    {"updateinfo", RT_UPDATEINFO, 0},
    {"signature", RT_SIGNATURE, 0},
    {"portable-home", RT_PORTABLE_HOME, 0},
    {"portable-config", RT_PORTABLE_CONFIG, 0},
};

int rt_options_parse(int argc, char **argv, struct rt_options *opts, struct rt_error *err)
{
    const char *arg = argc > 1 ? argv[1] : NULL;

    memset(opts, 0, sizeof(*opts));
    opts->action = RT_RUN;
    opts->prog_argc = argc > 1 ? argc - 1 : 0;
    opts->prog_argv = argv + (argc > 1 ? 1 : argc);
    if (!arg || strncmp(arg, PREFIX, strlen(PREFIX)) != 0)
        return 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(arg + strlen(PREFIX), names[i].name) != 0)
            continue;
        opts->action = names[i].action;
        opts->prog_argc = argc - 2;
        opts->prog_argv = argv + 2;
        if (names[i].max_args >= 0 && argc - 2 > names[i].max_args)
            return rt_fail(err, "%s takes %s argument%s; got %d (see --appimage-help)", arg,
                           names[i].max_args ? "at most one" : "no", names[i].max_args ? "" : "s",
                           argc - 2);
        if (opts->action == RT_EXTRACT && argc > 2)
            opts->pattern = argv[2];
        return 0;
    }
    return rt_fail(err, "unknown option %s (see --appimage-help)", arg);
}

int rt_env_flag(const char *name)
{
    const char *v = getenv(name);

    return v && *v && strcmp(v, "0") != 0;
}
