#!/usr/bin/env bash
# Regenerates the committed seed corpora in tests/fuzz/corpus/<name>/ (run it when a format
# changes; the fuzzer itself never writes there). Needs gcc, mksquashfs (squashfs-tools), python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
c=tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$c/closure" "$c/runtime_elf" "$c/appimage" "$c/options" "$c/extract" "$c/nix_builder" "$c/desktop"

# closure: real documents of the local Nix, then every other form by hand.
cp tests/unit/data/closure/*.json "$c/closure/"
h1=7wvjv8q5dl7abr8z82l61v3y62j62qiz
h2=fq9lfl3zqc8r4alj62dmi3k83vmn9455
p1=/nix/store/$h1-glibc
p2=/nix/store/$h2-greet
printf '[{"path":"%s","narSize":10,"references":[]},{"path":"%s","narSize":5,"references":["%s","%s"]}]' \
    "$p1" "$p2" "$p1" "$p2" >"$c/closure/array.json"
printf '{"%s":{"narSize":10,"references":[]},"%s":{"references":["%s"]}}' "$p1" "$p2" "$p1" \
    >"$c/closure/keyed.json"
printf '{"%s":{"version":1,"storeDir":"/nix/store","references":[]},"%s":null}' "$p1" "$p2" \
    >"$c/closure/keyed-v1-invalid.json"
printf '{"version":2,"storeDir":"/nix/store","info":{"%s":{"narSize":1,"references":[]},"%s":{"references":["%s"]}}}' \
    "$h1-glibc" "$h2-greet" "$h1-glibc" >"$c/closure/info-v2.json"
printf '{"version":3,"storeDir":"/nix/store","info":{"%s":{"ca":{"method":"nar"},"signatures":[{"k":"v"}],"references":[]}}}' \
    "$h1-glibc" >"$c/closure/info-v3.json"
printf '{"outputs":{"out":"/nix/store/x"},"closure":[{"path":"%s","references":[]}]}' "$p1" \
    >"$c/closure/attrs.json"
printf '[{"path":"/etc/passwd","references":[]},{"path":"%s/../x","references":[]}]' "$p1" \
    >"$c/closure/outside.json"

# nix_builder: .attrs.json documents as mkAppImage writes them (the unit tests' contract).
cp tests/unit/data/closure/nix-2.8-attrs.json "$c/nix_builder/"
python3 - "$c/nix_builder" "$h1" <<'PY'
import json, os, sys
d, h = sys.argv[1], sys.argv[2]
out = "/nix/store/%s-app.AppImage" % h
prog = "/nix/store/%s-hello-1.0/bin/hello" % h
full = {"program": prog, "runtime": "/r/runtime", "entry": "/r/AppRun", "compression": "xz",
        "level": 9, "blockSize": 262144, "exclude": ["*.a", "*/include/*"],
        "updateInfo": "zsync|https://x/y.zsync", "desktopFile": None, "icon": "/i/icon.png",
        "extraArgs": ["-v", "--exclude", "a b 'c'"]}
minimal = {"program": prog, "runtime": "r", "entry": "e", "compression": None, "level": None,
           "blockSize": None, "exclude": [], "extraArgs": []}
for name, opts in (("full.json", full), ("minimal.json", minimal)):
    doc = {"closure": [{"path": "/nix/store/%s-hello-1.0" % h, "references": []}],
           "outputs": {"out": out}, "squashnix": opts}
    with open(os.path.join(d, name), "w") as f:
        json.dump(doc, f)
PY

# desktop: desktop files as packages ship them, and awkward ones.
printf '[Desktop Entry]\nType=Application\nName=Hello\nExec=hello %%U\nIcon=hello\nCategories=Utility;\n\n[Desktop Action new]\nName=New\nIcon=other\n' \
    >"$c/desktop/hello.desktop"
printf '# comment\n[Other]\nIcon=no\n[Desktop Entry]\nIcon = spaced \nName[de]=Hallo\nIcon=second\n' \
    >"$c/desktop/tricky.desktop"

# runtime_elf and appimage: a small runtime-like ELF with the four AppImage sections and the magic.
printf 'void _start(void) { for (;;) ; }\n' >"$tmp/start.c"
gcc -O2 -static -nostdlib -o "$tmp/mini" "$tmp/start.c" runtime/sections.c
strip --strip-all "$tmp/mini"
printf 'AI\002' | dd of="$tmp/mini" bs=1 seek=8 conv=notrunc status=none
cp "$tmp/mini" "$c/runtime_elf/mini-runtime"
cp "$tmp/mini" "$c/appimage/mini-runtime"
head -c 64 "$tmp/mini" >"$c/runtime_elf/header-only"
printf 'zsync|https://example.com/a.zsync' >"$c/appimage/zsync"
printf 'gh-releases-zsync|user|repo|latest|app-*-x86_64.AppImage.zsync' >"$c/appimage/gh"

# options: NUL-separated command lines.
n=0
w() {
    n=$((n + 1))
    printf '%s\0' "$@" >"$c/options/args-$n"
}
w /nix/store/$h1-glibc
w --closure x.json --closure-key closure -o out.AppImage
w -c zstd -l 19 -b 1M -j 2 --exclude '*.a' --program bin/x /nix/store/$h1-glibc
w --appdir dir --update-info 'zsync|https://x/y.zsync' --desktop-file d --icon i.png
w inspect file.AppImage
w --nix-builder
w --appimage-extract 'usr/bin/*'
w --appimage-extract-and-run a b
w --appimage-mount
w -b 4K -c xz -l 9 --dry-run -q -v --runtime r --entry e
w -b 0x10 -j 99999999999 -l -5

# extract: squashfs images (no ELF: the harness adds its own), every compressor squashfuse reads,
# and hostile ones: an absolute symlink out, a name patched to "..", a symlink in place of a
# directory a later entry writes into (patched names in uncompressed metadata: -noI -noD -noF).
tree=$tmp/tree
mkdir -p "$tree/dir/sub" "$tree/empty"
printf 'hello\n' >"$tree/dir/file"
head -c 5000 /dev/urandom >"$tree/dir/sub/random"
ln "$tree/dir/file" "$tree/dir/hard"
ln -s file "$tree/dir/rel-link"
ln -s /etc/passwd "$tree/abs-link"
chmod 4755 "$tree/dir/file"
for comp in gzip zstd xz lz4 lzo; do
    mksquashfs "$tree" "$c/extract/tree-$comp.sqfs" -comp "$comp" -noappend -quiet -all-root -no-xattrs >/dev/null
done
mksquashfs "$tree" "$c/extract/tree-uncompressed.sqfs" -noI -noD -noF -noX -noappend -quiet -all-root -no-xattrs >/dev/null
patched() { # TREE OUT FROM TO: an uncompressed image of TREE with every name FROM renamed TO
    mksquashfs "$1" "$tmp/p.sqfs" -noI -noD -noF -noX -noappend -quiet -all-root -no-xattrs >/dev/null
    python3 - "$tmp/p.sqfs" "$2" "$3" "$4" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
a, b = sys.argv[3].encode(), sys.argv[4].encode()
assert len(a) == len(b) and data.count(a) >= 1
open(sys.argv[2], "wb").write(data.replace(a, b))
PY
}
mkdir -p "$tmp/dotdot/xx"
printf 'escaped\n' >"$tmp/dotdot/xx/zz-escaped"
patched "$tmp/dotdot" "$c/extract/dotdot.sqfs" xx ..
mkdir -p "$tmp/swap/ab"
ln -s /tmp "$tmp/swap/aa"
printf 'through the link\n' >"$tmp/swap/ab/zz-written"
patched "$tmp/swap" "$c/extract/symlink-then-dir.sqfs" ab aa
mkdir -p "$tmp/swap2/aa"
printf 'x\n' >"$tmp/swap2/aa/f"
ln -s /tmp "$tmp/swap2/ab"
patched "$tmp/swap2" "$c/extract/dir-then-symlink.sqfs" ab aa
ls -l "$c"/* | awk 'NF > 5 { n++; s += $5 } END { printf "%d seeds, %d bytes\n", n, s }'
