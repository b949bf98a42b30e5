/* AppImage type 2 layout: ELF parsing (64-bit, this machine's byte order) with pread only, so that
 * a hostile file cannot make us read outside it or allocate more than its section header table. */
#include "appimage.h"
#include "file_digest.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__)
#define HOST_MACHINE EM_X86_64
#define HOST_ARCH    "x86_64"
#elif defined(__aarch64__)
#define HOST_MACHINE EM_AARCH64
#define HOST_ARCH    "aarch64"
#elif defined(__riscv) && __riscv_xlen == 64
#define HOST_MACHINE EM_RISCV
#define HOST_ARCH    "riscv64"
#else
#error "squashnix supports 64-bit x86_64, aarch64 and riscv64 hosts"
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define HOST_DATA ELFDATA2LSB
#else
#define HOST_DATA ELFDATA2MSB
#endif

#define SHSTRTAB_MAX (1u << 20)

static const struct {
    const char *name;
    uint64_t size;
} sections[APPIMAGE_N_SECTIONS] = {
    [APPIMAGE_DIGEST_MD5] = {".digest_md5", 16},
    [APPIMAGE_UPD_INFO] = {".upd_info", 1024},
    [APPIMAGE_SHA256_SIG] = {".sha256_sig", 1024},
    [APPIMAGE_SIG_KEY] = {".sig_key", 8192},
};

const char *appimage_section_name(enum appimage_section s)
{
    return sections[s].name;
}

const char *appimage_arch(void)
{
    return HOST_ARCH;
}

/* pread of exactly LEN bytes; a short file is an input error naming NAME. */
static int read_exact(int fd, void *buf, size_t len, uint64_t off, const char *name,
                      const char *what, struct sn_error *err)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sn_error_errno(err, errno, "reading %s of %s", what, name);
        if (n == 0)
            return sn_error_set(err, SN_ERR_INPUT, "%s: file ends inside its %s", name, what);
        done += (size_t)n;
    }
    return 0;
}

static int write_exact(int fd, const void *buf, size_t len, uint64_t off, const char *what,
                       struct sn_error *err)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pwrite(fd, (const char *)buf + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return sn_error_errno(err, errno, "writing %s", what);
        done += (size_t)n;
    }
    return 0;
}

static int check_ident(const Elf64_Ehdr *eh, const char *name, struct sn_error *err)
{
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return sn_error_set(err, SN_ERR_INPUT, "%s: not an ELF file (no \\177ELF at offset 0)",
                            name);
    if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != HOST_DATA ||
        eh->e_machine != HOST_MACHINE)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s: ELF for another machine (class %u, data %u, machine %u); "
                            "a runtime for %s is needed",
                            name, eh->e_ident[EI_CLASS], eh->e_ident[EI_DATA], eh->e_machine,
                            HOST_ARCH);
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        return sn_error_set(err, SN_ERR_INPUT, "%s: ELF is not an executable (e_type %u)", name,
                            eh->e_type);
    if (memcmp(eh->e_ident + APPIMAGE_MAGIC_OFFSET, "AI\002", 3) != 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s: no AppImage type 2 magic \"AI\\x02\" at offset 8: not an AppImage "
                            "type 2 runtime",
                            name);
    return 0;
}

static int check_shdr_table(const Elf64_Ehdr *eh, uint64_t file_size, const char *name,
                            struct sn_error *err)
{
    if (eh->e_shnum == 0 || eh->e_shoff == 0)
        return sn_error_set(err, SN_ERR_INPUT,
                            "%s: ELF has no section headers; the AppImage sections are needed",
                            name);
    if (eh->e_shentsize != sizeof(Elf64_Shdr))
        return sn_error_set(err, SN_ERR_INPUT, "%s: ELF section header size %u, expected %zu", name,
                            eh->e_shentsize, sizeof(Elf64_Shdr));
    uint64_t table = (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr);
    if (eh->e_shoff > file_size || table > file_size - eh->e_shoff)
        return sn_error_set(err, SN_ERR_INPUT, "%s: ELF section headers lie outside the file",
                            name);
    if (eh->e_shstrndx >= eh->e_shnum)
        return sn_error_set(err, SN_ERR_INPUT, "%s: ELF section name table index %u is invalid",
                            name, eh->e_shstrndx);
    return 0;
}

static int read_shstrtab(int fd, const Elf64_Shdr *sh, uint64_t file_size, const char *name,
                         char **out, struct sn_error *err)
{
    if (sh->sh_size == 0 || sh->sh_size > SHSTRTAB_MAX || sh->sh_offset > file_size ||
        sh->sh_size > file_size - sh->sh_offset)
        return sn_error_set(err, SN_ERR_INPUT, "%s: ELF section name table is malformed", name);
    char *tab = malloc(sh->sh_size + 1);
    if (!tab)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory reading %s", name);
    if (read_exact(fd, tab, sh->sh_size, sh->sh_offset, name, "section names", err) < 0) {
        free(tab);
        return -1;
    }
    tab[sh->sh_size] = '\0';
    *out = tab;
    return 0;
}

/* Records the AppImage section SH named NAME_IN_TAB, if it is one, checking size and bounds. */
static int note_section(const Elf64_Shdr *sh, const char *sec_name, uint64_t file_size,
                        const char *name, struct appimage_layout *l, int *found,
                        struct sn_error *err)
{
    for (int s = 0; s < APPIMAGE_N_SECTIONS; s++) {
        if (strcmp(sec_name, sections[s].name) != 0)
            continue;
        if (sh->sh_size != sections[s].size || sh->sh_type == SHT_NOBITS)
            return sn_error_set(err, SN_ERR_INPUT,
                                "%s: section %s has %llu bytes%s; AppImage type 2 needs %llu", name,
                                sec_name, (unsigned long long)sh->sh_size,
                                sh->sh_type == SHT_NOBITS ? " (not stored in the file)" : "",
                                (unsigned long long)sections[s].size);
        if (sh->sh_offset > file_size || sh->sh_size > file_size - sh->sh_offset)
            return sn_error_set(err, SN_ERR_INPUT, "%s: section %s lies outside the file", name,
                                sec_name);
        l->offset[s] = sh->sh_offset;
        l->size[s] = sh->sh_size;
        found[s] = 1;
    }
    return 0;
}

static int read_sections(int fd, const Elf64_Ehdr *eh, uint64_t file_size, const char *name,
                         struct appimage_layout *l, struct sn_error *err)
{
    size_t n = eh->e_shnum;
    Elf64_Shdr *sh = calloc(n, sizeof(*sh));
    char *names = NULL;
    int found[APPIMAGE_N_SECTIONS] = {0};
    int rc = -1;
    if (!sh)
        return sn_error_set(err, SN_ERR_NOMEM, "out of memory reading %s", name);
    if (read_exact(fd, sh, n * sizeof(*sh), eh->e_shoff, name, "section headers", err) < 0 ||
        read_shstrtab(fd, &sh[eh->e_shstrndx], file_size, name, &names, err) < 0)
        goto out;
    l->elf_end = eh->e_shoff + n * sizeof(*sh);
    for (size_t i = 0; i < n; i++) {
        if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_offset <= file_size &&
            sh[i].sh_size <= file_size - sh[i].sh_offset &&
            sh[i].sh_offset + sh[i].sh_size > l->elf_end)
            l->elf_end = sh[i].sh_offset + sh[i].sh_size;
        const char *sec_name =
            sh[i].sh_name < sh[eh->e_shstrndx].sh_size ? names + sh[i].sh_name : "";
        if (note_section(&sh[i], sec_name, file_size, name, l, found, err) < 0)
            goto out;
    }
    for (int s = 0; s < APPIMAGE_N_SECTIONS; s++)
        if (!found[s]) {
            sn_error_set(err, SN_ERR_INPUT,
                         "%s: no %s section: not an AppImage type 2 runtime (it needs .digest_md5, "
                         ".upd_info, .sha256_sig and .sig_key)",
                         name, sections[s].name);
            goto out;
        }
    rc = 0;
out:
    free(names);
    free(sh);
    return rc;
}

int appimage_read_layout(int fd, const char *name, struct appimage_layout *out,
                         struct sn_error *err)
{
    struct stat st;
    Elf64_Ehdr eh;
    if (fstat(fd, &st) < 0)
        return sn_error_errno(err, errno, "fstat %s", name);
    if (!S_ISREG(st.st_mode))
        return sn_error_set(err, SN_ERR_INPUT, "%s: not a regular file", name);
    if ((uint64_t)st.st_size < sizeof(eh))
        return sn_error_set(err, SN_ERR_INPUT, "%s: %lld bytes, too short for an ELF file", name,
                            (long long)st.st_size);
    memset(out, 0, sizeof(*out));
    if (read_exact(fd, &eh, sizeof(eh), 0, name, "ELF header", err) < 0 ||
        check_ident(&eh, name, err) < 0 ||
        check_shdr_table(&eh, (uint64_t)st.st_size, name, err) < 0)
        return -1;
    return read_sections(fd, &eh, (uint64_t)st.st_size, name, out, err);
}

static int check_fields(const char *info, int want_fields, struct sn_error *err)
{
    int fields = 1;
    const char *field = info;
    for (const char *p = info;; p++) {
        if (*p != '|' && *p != '\0')
            continue;
        if (p == field)
            return sn_error_set(err, SN_ERR_INPUT, "update information \"%s\": field %d is empty",
                                info, fields);
        if (*p == '\0')
            break;
        fields++;
        field = p + 1;
    }
    if (fields != want_fields)
        return sn_error_set(err, SN_ERR_INPUT,
                            "update information \"%s\": %d fields separated by '|', expected %d",
                            info, fields, want_fields);
    return 0;
}

int appimage_check_update_info(const char *info, struct sn_error *err)
{
    size_t len = strlen(info);
    if (len > APPIMAGE_UPDATE_INFO_MAX)
        return sn_error_set(err, SN_ERR_INPUT,
                            "update information is %zu bytes; .upd_info holds at most %d", len,
                            APPIMAGE_UPDATE_INFO_MAX);
    for (size_t i = 0; i < len; i++)
        if (info[i] < 0x20 || info[i] > 0x7e)
            return sn_error_set(err, SN_ERR_INPUT,
                                "update information: byte %zu is not printable ASCII", i);
    if (strncmp(info, "zsync|", 6) == 0)
        return check_fields(info, 2, err);
    if (strncmp(info, "gh-releases-zsync|", 18) == 0)
        return check_fields(info, 5, err);
    return sn_error_set(err, SN_ERR_INPUT,
                        "update information \"%.40s\": unknown type; use \"zsync|URL\" or "
                        "\"gh-releases-zsync|USER|REPO|RELEASE|FILE.zsync\"",
                        info);
}

int appimage_write_update_info(int fd, const struct appimage_layout *l, const char *info,
                               struct sn_error *err)
{
    char buf[1024] = {0};
    if (appimage_check_update_info(info, err) < 0)
        return -1;
    memcpy(buf, info, strlen(info));
    return write_exact(fd, buf, sizeof(buf), l->offset[APPIMAGE_UPD_INFO], ".upd_info", err);
}

static void md5_feed(void *ctx, const void *data, size_t len)
{
    md5_update(ctx, data, len);
}

/* The digest covers the whole file with .digest_md5, .sha256_sig and .sig_key read as zeros (as
 * libappimage computes it; .upd_info is included). */
int appimage_compute_digest(int fd, const struct appimage_layout *l,
                            unsigned char out[MD5_DIGEST_LEN], struct sn_error *err)
{
    static const enum appimage_section skipped[] = {APPIMAGE_DIGEST_MD5, APPIMAGE_SHA256_SIG,
                                                    APPIMAGE_SIG_KEY};
    struct byte_range blank[3];
    struct md5_ctx ctx;

    for (size_t i = 0; i < 3; i++)
        blank[i] =
            (struct byte_range){l->offset[skipped[i]], l->offset[skipped[i]] + l->size[skipped[i]]};
    md5_init(&ctx);
    if (file_digest(fd, "the bundle", blank, 3, md5_feed, &ctx, err) < 0)
        return -1;
    md5_final(&ctx, out);
    return 0;
}

int appimage_write_digest(int fd, const struct appimage_layout *l,
                          const unsigned char digest[MD5_DIGEST_LEN], struct sn_error *err)
{
    return write_exact(fd, digest, MD5_DIGEST_LEN, l->offset[APPIMAGE_DIGEST_MD5], ".digest_md5",
                       err);
}

int appimage_read_section(int fd, const struct appimage_layout *l, enum appimage_section s,
                          void *buf, size_t len, struct sn_error *err)
{
    if (len < l->size[s])
        return sn_error_set(err, SN_ERR_INPUT, "buffer too small for %s", sections[s].name);
    return read_exact(fd, buf, l->size[s], l->offset[s], "the file", sections[s].name, err);
}
