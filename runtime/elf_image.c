#include "elf_image.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Upper bound that keeps a corrupted header from making us allocate without end (e_shnum is 16
 * bits). */
#define MAX_SECTION_READ (16u << 20)

static int read_exact(int fd, void *buf, size_t len, uint64_t off, struct rt_error *err)
{
    ssize_t n = pread(fd, buf, len, (off_t)off);

    if (n < 0)
        return rt_fail_errno(err, errno, "read at byte %llu", (unsigned long long)off);
    if ((size_t)n != len)
        return rt_fail(err, "file too short: %zu bytes wanted at byte %llu", len,
                       (unsigned long long)off);
    return 0;
}

static int read_ehdr(int fd, Elf64_Ehdr *eh, struct rt_error *err)
{
    if (read_exact(fd, eh, sizeof(*eh), 0, err) < 0)
        return rt_fail(err, "not an ELF file (too short for an ELF header)");
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return rt_fail(err, "not an ELF file (no ELF magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return rt_fail(err, "not a 64-bit little-endian ELF file");
    if (eh->e_shnum > 0 && eh->e_shentsize != sizeof(Elf64_Shdr))
        return rt_fail(err, "ELF section header size %u is not %zu", eh->e_shentsize,
                       sizeof(Elf64_Shdr));
    return 0;
}

/* Reads the section header table into a fresh array of eh->e_shnum entries. */
static int read_shdrs(int fd, const Elf64_Ehdr *eh, Elf64_Shdr **out, struct rt_error *err)
{
    size_t len = (size_t)eh->e_shnum * sizeof(Elf64_Shdr);
    Elf64_Shdr *sh;

    if (eh->e_shnum == 0)
        return rt_fail(err, "ELF file has no usable section header table");
    sh = malloc(len);
    if (!sh)
        return rt_fail_errno(err, ENOMEM, "reading ELF section headers");
    if (read_exact(fd, sh, len, eh->e_shoff, err) < 0) {
        free(sh);
        return -1;
    }
    *out = sh;
    return 0;
}

int rt_elf_image_offset(int fd, uint64_t *offset, struct rt_error *err)
{
    Elf64_Ehdr eh;
    Elf64_Shdr *sh;
    uint64_t end;

    if (read_ehdr(fd, &eh, err) < 0 || read_shdrs(fd, &eh, &sh, err) < 0)
        return -1;
    end = eh.e_shoff + (uint64_t)eh.e_shentsize * eh.e_shnum;
    for (unsigned i = 0; i < eh.e_shnum; i++) {
        if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_offset + sh[i].sh_size > end)
            end = sh[i].sh_offset + sh[i].sh_size;
    }
    free(sh);
    *offset = end;
    return 0;
}

/* Copies the name of section i from the section name table into buf (NUL-terminated). */
static int section_name(int fd, const Elf64_Shdr *strtab, const Elf64_Shdr *s, char *buf,
                        size_t len, struct rt_error *err)
{
    ssize_t n;

    if (s->sh_name >= strtab->sh_size)
        return rt_fail(err, "ELF section name offset %u out of range", s->sh_name);
    n = pread(fd, buf, len - 1, (off_t)(strtab->sh_offset + s->sh_name));
    if (n < 0)
        return rt_fail_errno(err, errno, "reading ELF section names");
    buf[n] = '\0';
    return 0;
}

int rt_elf_section(int fd, const char *name, uint64_t *offset, uint64_t *size, struct rt_error *err)
{
    Elf64_Ehdr eh;
    Elf64_Shdr *sh;
    char buf[64];
    int found = -1;

    if (read_ehdr(fd, &eh, err) < 0 || read_shdrs(fd, &eh, &sh, err) < 0)
        return -1;
    if (eh.e_shstrndx >= eh.e_shnum) {
        free(sh);
        return rt_fail(err, "ELF file has no section name table");
    }
    for (unsigned i = 0; i < eh.e_shnum && found < 0; i++) {
        if (section_name(fd, &sh[eh.e_shstrndx], &sh[i], buf, sizeof(buf), err) < 0) {
            free(sh);
            return -1;
        }
        if (strcmp(buf, name) == 0)
            found = (int)i;
    }
    if (found >= 0) {
        *offset = sh[found].sh_offset;
        *size = sh[found].sh_size;
    }
    free(sh);
    if (found < 0)
        return rt_fail(err, "ELF section %s not found", name);
    return 0;
}

int rt_elf_section_read(int fd, const char *name, char **data, uint64_t *size, struct rt_error *err)
{
    uint64_t off, len;
    char *buf;

    if (rt_elf_section(fd, name, &off, &len, err) < 0)
        return -1;
    if (len > MAX_SECTION_READ)
        return rt_fail(err, "ELF section %s is too large (%llu bytes)", name,
                       (unsigned long long)len);
    buf = calloc(1, (size_t)len + 1);
    if (!buf)
        return rt_fail_errno(err, ENOMEM, "reading ELF section %s", name);
    if (read_exact(fd, buf, (size_t)len, off, err) < 0) {
        free(buf);
        return -1;
    }
    *data = buf;
    *size = len;
    return 0;
}
