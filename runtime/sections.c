/* The AppImage type 2 sections, zero-filled at build time and fixed in size, so that tools
 * (appimagetool, appimageupdatetool) can fill them in place in a finished AppImage. `used` keeps
 * them in the stripped binary; they are read back from the file by name (elf.c), not from memory,
 * because a tool may have written them after the build. They appear in the file in this order:
 * AppImage's validate tool expects .sha256_sig directly followed by .sig_key. GCC would emit them
 * in reverse order (its top-level reordering) without `no_reorder`; clang keeps the order. */

#if defined(__has_attribute) && __has_attribute(no_reorder)
#define IN_ORDER no_reorder
#else
#define IN_ORDER used
#endif

__attribute__((section(".digest_md5"), used, IN_ORDER,
               aligned(1))) static const char digest_md5[16];
__attribute__((section(".upd_info"), used, IN_ORDER, aligned(1))) static const char upd_info[1024];
__attribute__((section(".sha256_sig"), used, IN_ORDER,
               aligned(1))) static const char sha256_sig[1024];
__attribute__((section(".sig_key"), used, IN_ORDER, aligned(1))) static const char sig_key[8192];
