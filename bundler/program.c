/* Choosing the program. Store paths are owned by root and immutable, so following symlinks inside
 * them (bin/foo -> ../libexec/foo) is safe and is what running the program will do. */
#include "program.h"

#include <ctype.h>
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "closure.h"

#define STORE_PREFIX CLOSURE_STORE_DIR "/"

void program_split_name(const char *store_name, char *name, char *version)
{
    size_t i = 0, n = strlen(store_name);
    while (i < n && !(store_name[i] == '-' && !isalpha((unsigned char)store_name[i + 1])))
        i++;
    memcpy(name, store_name, i);
    name[i] = '\0';
    strcpy(version, i < n ? store_name + i + 1 : "");
}

int program_store_path(const char *path, char *buf, size_t len)
{
    size_t plen = strlen(STORE_PREFIX);
    if (strncmp(path, STORE_PREFIX, plen) != 0 || path[plen] == '\0' || path[plen] == '/')
        return -1;
    size_t end = plen + strcspn(path + plen, "/");
    if (end + 1 > len)
        return -1;
    memcpy(buf, path, end);
    buf[end] = '\0';
    return 0;
}

/* DIR "/" NAME into BUF; 0, or -1 when it does not fit. */
static int join(char *buf, size_t len, const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    if (a + 1 + b + 1 > len)
        return -1;
    memcpy(buf, dir, a);
    buf[a] = '/';
    memcpy(buf + a + 1, name, b + 1);
    return 0;
}

static int is_executable_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0;
}

static int has_dotdot(const char *rel)
{
    for (const char *p = rel; *p; p += strcspn(p, "/"), p += *p == '/')
        if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0'))
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Executables in DIR (sorted, names), joined with ", " into LIST; their count in *N. The first one
 * into FIRST. */
static int list_executables(const char *dir, char *list, size_t list_len, char *first,
                            size_t first_len, size_t *n, struct sn_error *err)
{
    DIR *d = opendir(dir);
    char *names[256];
    size_t count = 0;
    *n = 0;
    list[0] = '\0';
    if (!d)
        return errno == ENOENT ? 0 : sn_error_errno(err, errno, "opening %s", dir);
    for (struct dirent *e; (e = readdir(d)) != NULL && count < 256;) {
        char path[4096];
        if (e->d_name[0] == '.')
            continue;
        if (join(path, sizeof(path), dir, e->d_name) == 0 && is_executable_file(path) &&
            (names[count] = strdup(e->d_name)) != NULL)
            count++;
    }
    closedir(d);
    qsort(names, count, sizeof(names[0]), cmp_str);
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(list);
        snprintf(list + used, list_len - used, "%s%s", i ? ", " : "", names[i]);
        if (i == 0)
            snprintf(first, first_len, "%s", names[i]);
        free(names[i]);
    }
    *n = count;
    return 0;
}

static int choose_default(const char *top, char **out, struct sn_error *err)
{
    const char *base = strrchr(top, '/') + 1;
    const char *store_name = strchr(base, '-') ? strchr(base, '-') + 1 : base;
    char name[256], version[256], path[4096], bin[4096], list[2048], first[256];
    size_t n;
    if (strlen(store_name) >= sizeof(name))
        return sn_error_set(err, SN_ERR_INPUT, "%s: store name too long", top);
    program_split_name(store_name, name, version);
    snprintf(bin, sizeof(bin), "%s/bin", top);
    if (join(path, sizeof(path), bin, name) == 0 && is_executable_file(path))
        return (*out = strdup(path)) ? 0 : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    if (list_executables(bin, list, sizeof(list), first, sizeof(first), &n, err) < 0)
        return -1;
    if (n == 1) {
        join(path, sizeof(path), bin, first);
        return (*out = strdup(path)) ? 0 : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
    }
    if (n == 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s has no executable in bin/: choose the program with --program PATH",
                            top);
    return sn_error_set(err, SN_ERR_INPUT,
                        "%s has no bin/%s and %zu executables in bin/ (%s): choose one with "
                        "--program bin/NAME",
                        top, name, n, list);
}

int program_choose(const char *top, const char *requested, char **out, struct sn_error *err)
{
    char path[4096], store[4096];
    *out = NULL;
    if (!requested)
        return choose_default(top, out, err);
    if (requested[0] == '/') {
        if (program_store_path(requested, store, sizeof(store)) < 0)
            return sn_error_set(err, SN_ERR_INPUT,
                                "--program %s: an absolute program must lie in /nix/store",
                                requested);
        snprintf(path, sizeof(path), "%s", requested);
    } else {
        if (join(path, sizeof(path), top, requested) < 0)
            return sn_error_set(err, SN_ERR_INPUT, "--program %s: path too long", requested);
    }
    if (has_dotdot(path + strlen(STORE_PREFIX)))
        return sn_error_set(err, SN_ERR_INPUT, "--program %s: '..' is not allowed", requested);
    if (!is_executable_file(path))
        return sn_error_set(err, SN_ERR_INPUT, "--program %s: %s is not an executable file",
                            requested, path);
    return (*out = strdup(path)) ? 0 : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
}

/* The interpreter of a "#!" script whose first line is LINE (NUL-terminated). */
static int script_interpreter(const char *line, char **out, struct sn_error *err)
{
    const char *p = line + 2;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strcspn(p, " \t\n");
    if (len == 0)
        return 0;
    return (*out = strndup(p, len)) ? 0 : sn_error_set(err, SN_ERR_NOMEM, "out of memory");
}

static int elf_interpreter(int fd, const Elf64_Ehdr *eh, const char *path, char **out,
                           struct sn_error *err)
{
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        off_t at = (off_t)(eh->e_phoff + (uint64_t)i * sizeof(ph));
        if (pread(fd, &ph, sizeof(ph), at) != (ssize_t)sizeof(ph))
            return sn_error_set(err, SN_ERR_INPUT, "%s: ELF program headers are truncated", path);
        if (ph.p_type != PT_INTERP)
            continue;
        if (ph.p_filesz < 2 || ph.p_filesz > 4096)
            return sn_error_set(err, SN_ERR_INPUT, "%s: ELF interpreter is malformed", path);
        char *s = calloc(1, ph.p_filesz + 1);
        if (!s)
            return sn_error_set(err, SN_ERR_NOMEM, "out of memory");
        if (pread(fd, s, ph.p_filesz, (off_t)ph.p_offset) != (ssize_t)ph.p_filesz) {
            free(s);
            return sn_error_set(err, SN_ERR_INPUT, "%s: ELF interpreter is truncated", path);
        }
        *out = s;
        return 0;
    }
    return 0;
}

int program_interpreter(const char *path, char **out, struct sn_error *err)
{
    union {
        Elf64_Ehdr eh;
        char line[256];
    } head;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return sn_error_errno(err, errno, "opening %s", path);
    memset(&head, 0, sizeof(head));
    ssize_t n = pread(fd, &head, sizeof(head) - 1, 0);
    int rc = 0;
    if (n < 0)
        rc = sn_error_errno(err, errno, "reading %s", path);
    else if (n >= 2 && head.line[0] == '#' && head.line[1] == '!')
        rc = script_interpreter(head.line, out, err);
    else if ((size_t)n >= sizeof(head.eh) && memcmp(head.eh.e_ident, ELFMAG, SELFMAG) == 0 &&
             head.eh.e_ident[EI_CLASS] == ELFCLASS64)
        rc = elf_interpreter(fd, &head.eh, path, out, err);
    close(fd);
    return rc;
}
