/* Desktop integration: the .desktop file for the program, Icon= resolved by the specification's
 * preference (256x256 PNG, then the largest PNG, then SVG), AppStream metadata, the overrides, and
 * the warning for a package without any of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "desktop.h"

#define HASH "0123456789abcdfghijklmnpqrsvwxyz"

static char dir[] = "/tmp/sn-test-desktop.XXXXXX";
static char pkg[256];

static void write_file(const char *rel, const void *data, size_t len)
{
    char path[512], cmd[600];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* A PNG signature and IHDR chunk saying WIDTH x WIDTH (what the icon chooser reads). */
static void write_png(const char *rel, uint32_t width)
{
    unsigned char h[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                           0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    for (int i = 0; i < 2; i++) {
        h[16 + 4 * i] = (unsigned char)(width >> 24);
        h[17 + 4 * i] = (unsigned char)(width >> 16);
        h[18 + 4 * i] = (unsigned char)(width >> 8);
        h[19 + 4 * i] = (unsigned char)width;
    }
    write_file(rel, h, sizeof(h));
}

static void write_text(const char *rel, const char *text)
{
    write_file(rel, text, strlen(text));
}

static const char *find(const struct desktop *d, const char *image_path, const char **target)
{
    for (size_t i = 0; i < d->n_items; i++)
        if (strcmp(d->items[i].image_path, image_path) == 0) {
            if (target)
                *target = d->items[i].target;
            return d->items[i].source ? d->items[i].source : "";
        }
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(pkg, sizeof(pkg), "%s/" HASH "-app-1.0", dir);
    write_text(HASH "-app-1.0/share/applications/other.desktop",
               "[Desktop Entry]\nName=Other\nExec=other-tool %f\nIcon=other\n");
    write_text(HASH "-app-1.0/share/applications/org.example.App.desktop",
               "[Desktop Entry]\nName=App\nExec=/nix/store/x-app/bin/app --flag %U\nIcon = app\n"
               "[Desktop Action New]\nIcon=wrong\n");
    write_png(HASH "-app-1.0/share/icons/hicolor/48x48/apps/app.png", 48);
    write_png(HASH "-app-1.0/share/icons/hicolor/512x512/apps/app.png", 512);
    write_png(HASH "-app-1.0/share/icons/hicolor/256x256/apps/app.png", 256);
    write_text(HASH "-app-1.0/share/icons/hicolor/scalable/apps/app.svg", "<svg/>");
    write_text(HASH "-app-1.0/share/metainfo/org.example.App.metainfo.xml", "<component/>");
    write_png(HASH "-big-1/share/icons/hicolor/64x64/apps/big.png", 64);
    write_png(HASH "-big-1/share/pixmaps/big.png", 128);
    write_text(HASH "-big-1/share/applications/big.desktop",
               "[Desktop Entry]\nName=Big\nExec=big\nIcon=big\n");
    write_text(HASH "-vec-1/share/applications/vec.desktop",
               "[Desktop Entry]\nName=Vec\nExec=vec\nIcon=vec\n");
    write_text(HASH "-vec-1/share/icons/hicolor/scalable/apps/vec.svg", "<svg/>");
    write_text(HASH "-bare-1/bin/bare", "x");
    write_text("my.desktop", "[Desktop Entry]\nName=Mine\nExec=bare\nIcon=mine\n");
    write_png("mine.png", 256);
    write_text("bad.desktop", "no group\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd);
}

static void test_entry_values(void **state)
{
    (void)state;
    char buf[64];
    const char *text = "# c\n[Desktop Entry]\nName=A B\nIconX=no\nIcon = i\n[Other]\nExec=x\n";
    assert_int_equal(desktop_entry_value(text, "Name", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "A B");
    assert_int_equal(desktop_entry_value(text, "Icon", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "i");
    assert_int_equal(desktop_entry_value(text, "Exec", buf, sizeof(buf)), -1);
}

static void test_package_integration(void **state)
{
    (void)state;
    struct desktop d;
    struct sn_error err = {0};
    char prog[512], want[600];
    const char *target;
    snprintf(prog, sizeof(prog), "%s/bin/app", pkg);
    assert_int_equal(desktop_collect(pkg, prog, NULL, NULL, &d, &err), 0);
    assert_string_equal(d.warning, "");
    /* The desktop file whose Exec= runs the program, not the other one. */
    snprintf(want, sizeof(want), "%s/share/applications/org.example.App.desktop", pkg);
    assert_string_equal(find(&d, "org.example.App.desktop", NULL), want);
    assert_null(find(&d, "other.desktop", NULL));
    /* 256x256 wins over the larger 512 and the SVG. */
    snprintf(want, sizeof(want), "%s/share/icons/hicolor/256x256/apps/app.png", pkg);
    assert_string_equal(find(&d, "app.png", NULL), want);
    assert_non_null(find(&d, ".DirIcon", &target));
    assert_string_equal(target, "app.png");
    snprintf(want, sizeof(want), "%s/share/metainfo/org.example.App.metainfo.xml", pkg);
    assert_string_equal(find(&d, "usr/share/metainfo/org.example.App.metainfo.xml", NULL), want);
    assert_int_equal(d.n_items, 4);
    desktop_free(&d);
}

static void test_largest_png_then_svg(void **state)
{
    (void)state;
    struct desktop d;
    struct sn_error err = {0};
    char top[512], prog[600], want[600];
    snprintf(top, sizeof(top), "%s/" HASH "-big-1", dir);
    snprintf(prog, sizeof(prog), "%s/bin/big", top);
    assert_int_equal(desktop_collect(top, prog, NULL, NULL, &d, &err), 0);
    snprintf(want, sizeof(want), "%s/share/pixmaps/big.png", top);
    assert_string_equal(find(&d, "big.png", NULL), want);
    desktop_free(&d);

    snprintf(top, sizeof(top), "%s/" HASH "-vec-1", dir);
    snprintf(prog, sizeof(prog), "%s/bin/vec", top);
    assert_int_equal(desktop_collect(top, prog, NULL, NULL, &d, &err), 0);
    assert_non_null(find(&d, "vec.svg", NULL));
    desktop_free(&d);
}

static void test_package_without_integration_warns(void **state)
{
    (void)state;
    struct desktop d;
    struct sn_error err = {0};
    char top[512], prog[600];
    snprintf(top, sizeof(top), "%s/" HASH "-bare-1", dir);
    snprintf(prog, sizeof(prog), "%s/bin/bare", top);
    assert_int_equal(desktop_collect(top, prog, NULL, NULL, &d, &err), 0);
    assert_int_equal(d.n_items, 0);
    assert_non_null(strstr(d.warning, "no share/applications/*.desktop for bare"));
    assert_non_null(strstr(d.warning, "no .desktop file and no icon"));
    assert_non_null(strstr(d.warning, "--desktop-file and --icon"));
    desktop_free(&d);
}

static void test_overrides(void **state)
{
    (void)state;
    struct desktop d;
    struct sn_error err = {0};
    char top[512], prog[600], file[600], icon[600];
    const char *target;
    snprintf(top, sizeof(top), "%s/" HASH "-bare-1", dir);
    snprintf(prog, sizeof(prog), "%s/bin/bare", top);
    snprintf(file, sizeof(file), "%s/my.desktop", dir);
    snprintf(icon, sizeof(icon), "%s/mine.png", dir);
    assert_int_equal(desktop_collect(top, prog, file, icon, &d, &err), 0);
    assert_string_equal(find(&d, "my.desktop", NULL), file);
    assert_string_equal(find(&d, "mine.png", NULL), icon);
    assert_non_null(find(&d, ".DirIcon", &target));
    assert_string_equal(target, "mine.png");
    assert_string_equal(d.warning, "");
    desktop_free(&d);

    snprintf(file, sizeof(file), "%s/bad.desktop", dir);
    assert_int_equal(desktop_collect(top, prog, file, NULL, &d, &err), -1);
    assert_non_null(strstr(err.msg, "no Name="));
    assert_int_equal(desktop_collect(top, prog, icon, NULL, &d, &err), -1);
    assert_non_null(strstr(err.msg, "not a regular file named *.desktop"));
    snprintf(file, sizeof(file), "%s/my.desktop", dir);
    assert_int_equal(desktop_collect(top, prog, file, file, &d, &err), -1);
    assert_non_null(strstr(err.msg, "only .png and .svg"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_values),
        cmocka_unit_test(test_package_integration),
        cmocka_unit_test(test_largest_png_then_svg),
        cmocka_unit_test(test_package_without_integration_warns),
        cmocka_unit_test(test_overrides),
    };
    return cmocka_run_group_tests_name("desktop", tests, setup, teardown);
}
