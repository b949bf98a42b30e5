/* The AppImage type 2 sections, zero-filled at build time and fixed in size, so that tools
 * (appimagetool, appimageupdatetool) can fill them in place in a finished AppImage. `used` keeps
 * them in the stripped binary; they are read back from the file by name (elf.c), not from memory,
 * because a tool may have written them after the build. */

__attribute__((section(".digest_md5"), used, aligned(1))) static const char digest_md5[16];
__attribute__((section(".upd_info"), used, aligned(1))) static const char upd_info[1024];
__attribute__((section(".sha256_sig"), used, aligned(1))) static const char sha256_sig[1024];
__attribute__((section(".sig_key"), used, aligned(1))) static const char sig_key[8192];
