# Shared helpers for integration tests. Source it from a test script:
#   . "$(dirname "$0")/lib.sh"
# Tests run as root, each standing alone; everything a test makes is removed on exit, pass or fail
# (sn_cleanup_add registers a command; the EXIT trap runs them newest first).
#
# Environment: SQUASHNIX_BUILD  directory holding squashnix, runtime and AppRun (default: build/)

set -euo pipefail

SN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SN_BUILD=${SQUASHNIX_BUILD:-$SN_ROOT/build}
SN_NIX_OPTS=(--option substituters '' --extra-experimental-features 'nix-command flakes')
SN_TEST_USER=sntest
SN_TEST_GROUP=sntestg
SN_TEST_EXTRA_GROUP=sntestx

# The cleanup list is a file, not a shell variable, so that helpers called as $(...) (a subshell,
# whose variables die with it) register their cleanups with the test's own shell. Only the shell that
# sourced lib.sh runs them (subshells do not inherit the EXIT trap).
SN_MAIN_PID=$$
SN_CLEANUP_FILE=$(mktemp "${TMPDIR:-/tmp}/sn-cleanup.XXXXXX")
sn_cleanup_add() { printf '%s\n' "$*" >>"$SN_CLEANUP_FILE"; }
sn_run_cleanups() {
    local cmd
    [ "$BASHPID" = "$SN_MAIN_PID" ] && [ -f "$SN_CLEANUP_FILE" ] || return 0
    while IFS= read -r cmd; do
        eval "$cmd" >/dev/null 2>&1 || true
    done < <(tac "$SN_CLEANUP_FILE")
    rm -f "$SN_CLEANUP_FILE"
}
trap sn_run_cleanups EXIT

sn_log() { printf '  %s\n' "$*" >&2; }
sn_fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}
sn_assert_eq() { # EXPECTED ACTUAL WHAT
    [ "$1" == "$2" ] || sn_fail "$3: expected [$1], got [$2]"
}
sn_assert_contains() { # HAYSTACK NEEDLE WHAT
    case "$1" in *"$2"*) ;; *) sn_fail "$3: [$2] not found in [$1]" ;; esac
}
sn_require_root() { [ "$(id -u)" = 0 ] || sn_fail "integration tests run as root (they mount, make users)"; }

# A temporary directory removed on exit. Prints its path.
sn_tmpdir() {
    local d
    d=$(mktemp -d "${TMPDIR:-/tmp}/sn-test.XXXXXX")
    chmod 0755 "$d"
    sn_cleanup_add "rm -rf '$d'"
    printf '%s\n' "$d"
}

# Source inputs of the fixture closures: compiled here, same bytes every time, so that Nix reuses
# the store paths it built before. Prints the directory (cached under /var/tmp/squashnix-fixtures).
sn_fixture_src() {
    local dir=/var/tmp/squashnix-fixtures/src
    if [ ! -x "$dir/hello" ]; then
        mkdir -p "$dir"
        gcc -O2 -shared -fPIC -o "$dir/libgreet.so" "$SN_ROOT/tests/fixtures/src/greet.c"
        gcc -O2 -o "$dir/hello" "$SN_ROOT/tests/fixtures/src/hello.c" -L"$dir" -lgreet
        cp -L /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libc.so.6 "$dir/"
        cp /bin/busybox "$dir/busybox"
    fi
    printf '%s\n' "$dir"
}

# Builds the demo closure in the real local Nix store and prints the output path
# (/nix/store/...-demo-hello-VERSION, program bin/demo-hello). Optional argument: the version.
sn_fixture_demo() {
    local version=${1:-1.0} src
    src=$(sn_fixture_src)
    nix-build "${SN_NIX_OPTS[@]}" --no-out-link "$SN_ROOT/tests/fixtures/demo.nix" \
        --arg src "$src" --argstr version "$version" 2>/dev/null ||
        sn_fail "nix-build of the demo fixture failed (run: nix-build $SN_ROOT/tests/fixtures/demo.nix --arg src $src)"
}

# Creates the unprivileged test user (uid 2001) with a primary group whose gid differs from the uid
# (2345) and a supplementary group (2346). Idempotent. Prints the user name.
sn_test_user() {
    getent group "$SN_TEST_GROUP" >/dev/null || groupadd -g 2345 "$SN_TEST_GROUP"
    getent group "$SN_TEST_EXTRA_GROUP" >/dev/null || groupadd -g 2346 "$SN_TEST_EXTRA_GROUP"
    id "$SN_TEST_USER" >/dev/null 2>&1 ||
        useradd -u 2001 -g "$SN_TEST_GROUP" -G "$SN_TEST_EXTRA_GROUP" -m -s /bin/sh "$SN_TEST_USER"
    printf '%s\n' "$SN_TEST_USER"
}

# Runs a command as the test user, with that user's groups and a minimal environment.
sn_as_user() {
    local user
    user=$(sn_test_user)
    setpriv --reuid="$user" --regid="$SN_TEST_GROUP" --init-groups --reset-env -- \
        env HOME="/home/$user" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin "$@"
}

# Runs a command in a new mount namespace whose / is recursively shared, as on a systemd host
# (this machine does not mark / shared; mount events would propagate there between peers).
sn_hostlike() {
    unshare --mount --propagation unchanged -- sh -c 'mount --make-rshared / && exec "$@"' sh "$@"
}

# Runs a command as on a machine without Nix: in a new mount namespace with an empty tmpfs over
# /nix. With --user, the command then runs as the test user.
sn_without_nix() {
    local as_user=0
    if [ "${1:-}" = --user ]; then
        as_user=1
        shift
    fi
    if [ $as_user = 1 ]; then
        local user
        user=$(sn_test_user)
        unshare --mount --propagation private -- sh -c 'mount -t tmpfs -o mode=0755 none /nix && exec "$@"' sh \
            setpriv --reuid="$user" --regid="$SN_TEST_GROUP" --init-groups --reset-env -- \
            env HOME="/home/$user" USER="$user" PATH=/usr/local/bin:/usr/bin:/bin "$@"
    else
        unshare --mount --propagation private -- sh -c 'mount -t tmpfs -o mode=0755 none /nix && exec "$@"' sh "$@"
    fi
}

# /dev/fuse is 0600 on these machines (distributions ship 0666). Tests that mount FUSE as an
# unprivileged user open it up as root here, and put the original mode back on exit.
sn_allow_user_fuse() {
    local mode
    mode=$(stat -c %a /dev/fuse)
    if [ "$mode" != 666 ]; then
        chmod 0666 /dev/fuse
        sn_cleanup_add "chmod $mode /dev/fuse"
    fi
}

# The mount table without the per-boot mount IDs, for before/after comparisons.
sn_mounts() { # [PID]
    awk '{ $1 = ""; $2 = ""; print }' "/proc/${1:-self}/mountinfo"
}

# Mounts an image (a squashfs, at an optional byte offset) read-only with the kernel's driver at a
# fresh directory, unmounted on exit. Prints the mount point.
sn_mount_image() { # FILE [OFFSET]
    local dir
    dir=$(sn_tmpdir)
    mount -t squashfs -o "ro,loop,offset=${2:-0}" "$1" "$dir" || sn_fail "kernel mount of $1 (offset ${2:-0}) failed"
    sn_cleanup_add "umount -l '$dir'"
    printf '%s\n' "$dir"
}

# The image layout squashnix writes (docs/design.md), assembled as a plain directory from a store
# path's closure, so that the entry and the runtime can be tested on images made by an independent
# tool (mksquashfs) as well as on squashnix's. Prints DIR.
sn_appdir_from_closure() { # DIR STORE_PATH PROGRAM_RELATIVE_PATH
    local dir=$1 top=$2 prog=$3 p
    mkdir -p "$dir/nix/store" "$dir/mountroot" "$dir/.squashnix"
    nix-store -qR "$top" | sort >"$dir/.squashnix/closure"
    while read -r p; do cp -a "$p" "$dir/nix/store/"; done <"$dir/.squashnix/closure"
    ln -s "$top/$prog" "$dir/entrypoint"
    install -m 0755 "$SN_BUILD/AppRun" "$dir/AppRun"
    printf '%s\n' "$dir"
}

# A squashfs image of DIR written by mksquashfs (the peer). When RUNTIME is given, the image is
# appended to a copy of it, making an AppImage (mksquashfs -offset would zero the runtime's bytes).
sn_mksquashfs_appimage() { # DIR OUT [RUNTIME]
    local dir=$1 out=$2 runtime=${3:-}
    if [ -z "$runtime" ]; then
        mksquashfs "$dir" "$out" -all-root -no-xattrs -noappend -quiet -comp zstd >/dev/null
        return
    fi
    mksquashfs "$dir" "$out.sqfs" -all-root -no-xattrs -noappend -quiet -comp zstd >/dev/null
    cat "$runtime" "$out.sqfs" >"$out"
    rm -f "$out.sqfs"
    chmod 0755 "$out"
}

# Nix integration tests: sets SN_NIX_LOCAL to a Nix expression for tests/nix/local.nix (mkAppImage
# with this build's squashnix, runtime and entry, and the demo fixture) applied to its arguments. The
# squashnix binary is copied under DIR as a package (DIR/squashnix/bin/squashnix), as mkAppImage
# takes it. Use it as: nix-build -E "let l = $SN_NIX_LOCAL; in l.bundle".
sn_nix_local_args() { # DIR
    local dir=$1 b
    for b in squashnix runtime AppRun; do
        [ -x "$SN_BUILD/$b" ] || sn_fail "$SN_BUILD/$b is missing: run make $SN_BUILD/squashnix $SN_BUILD/runtime $SN_BUILD/AppRun"
    done
    mkdir -p "$dir/squashnix/bin"
    cp "$SN_BUILD/squashnix" "$dir/squashnix/bin/squashnix"
    SN_NIX_LOCAL="import $SN_ROOT/tests/nix/local.nix { squashnix = $dir/squashnix; runtime = $SN_BUILD/runtime;"
    SN_NIX_LOCAL+=" entry = $SN_BUILD/AppRun; fixtureSrc = $(sn_fixture_src); }"
}

# Builds the tools fixture (tests/fixtures/tools.nix: static busybox at bin/busybox, one store path)
# in the real local Nix store and prints its path. Optional argument: a tag for a distinct path.
sn_fixture_tools() {
    local tag=${1:-1} src
    src=$(sn_fixture_src)
    nix-build "${SN_NIX_OPTS[@]}" --no-out-link "$SN_ROOT/tests/fixtures/tools.nix" \
        --arg src "$src" --argstr tag "$tag" 2>/dev/null ||
        sn_fail "nix-build of the tools fixture failed (run: nix-build $SN_ROOT/tests/fixtures/tools.nix --arg src $src)"
}

# A plain AppDir (any AppImage's, not only squashnix's) whose /AppRun is a shell script: it prints
# APPIMAGE, APPDIR, ARGV0, OWD, HOME, XDG_CONFIG_HOME and its arguments, one a line; then, when its first argument is
#   exit N    exits with N;        kill SIG   kills itself with SIG;
#   trap FILE [SIG]  writes FILE and exits 7 on SIG (default TERM), after printing "ready" and waiting;
#   sleep S   sleeps S seconds;
#   cat FILE  prints FILE;
#   nest B    runs the bundle B to print usr/share/doc/f from this $APPDIR, then prints it itself;
#   bg FILE   leaves a background child with its working directory in $APPDIR that, 1 s later,
#             copies usr/share/doc/f to FILE (a descendant still using the image), and exits 0.
# It also holds usr/share/doc/f (a text file), a symlink, a hard link and an empty directory.
sn_runtime_shell_appdir() { # DIR
    local dir=$1
    mkdir -p "$dir/usr/bin" "$dir/usr/share/doc" "$dir/empty"
    cat >"$dir/AppRun" <<'APPRUN'
#!/bin/sh
printf 'APPIMAGE=%s\nAPPDIR=%s\nARGV0=%s\nOWD=%s\nHOME=%s\nXDG_CONFIG_HOME=%s\n' \
    "$APPIMAGE" "$APPDIR" "$ARGV0" "$OWD" "$HOME" "${XDG_CONFIG_HOME:-}"
for a in "$@"; do printf 'arg=%s\n' "$a"; done
case "${1:-}" in
exit) exit "$2" ;;
kill) kill -s "$2" $$ ;;
trap)
    trap 'echo "${3:-TERM}" | tr A-Z a-z >"$2"; exit 7' "${3:-TERM}"
    echo ready
    while :; do sleep 0.05; done
    ;;
sleep) sleep "$2" ;;
cat) cat "$2" ;;
nest) "$2" cat "$APPDIR/usr/share/doc/f" | grep -v = && cat "$APPDIR/usr/share/doc/f" ;;
bg)
    cd "$APPDIR" || exit 1
    (sleep 1; cat usr/share/doc/f >"$2") </dev/null >/dev/null 2>&1 &
    ;;
esac
exit 0
APPRUN
    chmod 0755 "$dir/AppRun"
    echo "hello from the image" >"$dir/usr/share/doc/f"
    ln -s ../share/doc/f "$dir/usr/bin/link"
    ln "$dir/usr/share/doc/f" "$dir/usr/share/doc/hard"
    touch "$dir/.DirIcon"
    printf '%s\n' "$dir"
}

# Runs a command as root of a new user namespace that maps ids 0-65535 to themselves, in a new
# mount namespace (/ not yet private). Per-user-namespace sysctls such as user.max_user_namespaces
# can be set there without touching the host's (and without CAP_SYS_RESOURCE, which root here
# lacks): the kernel applies such a limit to that namespace and every one below it.
sn_userns_root() { # COMMAND...
    python3 -c '
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
ready_r, ready_w = os.pipe()
go_r, go_w = os.pipe()
pid = os.fork()
if pid == 0:
    if libc.unshare(0x10000000 | 0x00020000) != 0:  # CLONE_NEWUSER | CLONE_NEWNS
        sys.stderr.write("sn_userns_root: unshare: %s\n" % os.strerror(ctypes.get_errno()))
        os._exit(126)
    os.write(ready_w, b"1")
    os.read(go_r, 1)  # exec only once uid 0 is mapped, so that the command runs with capabilities
    os.execvp(sys.argv[1], sys.argv[1:])
os.read(ready_r, 1)
for name in ("uid_map", "gid_map"):
    with open("/proc/%d/%s" % (pid, name), "w") as f:
        f.write("0 0 65536\n")
os.write(go_w, b"1")
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
' "$@"
}

# Compares the tree a squashfs reader shows (DST) with the source tree (SRC): every entry's type,
# permission bits, size, content, symlink target and mtime, and which files are hardlinks of each
# other (with their link counts). Options: --no-hardlinks (reader unpacks links as copies),
# --no-inode-numbers (reader shows link counts but its own inode numbers, as squashfuse does),
# --mtime N (every time in DST must be N, from SOURCE_DATE_EPOCH), --no-mtime, --no-root-mtime (DST
# itself was made by the test), --root-owned (every DST entry must be owned by 0:0). Prints the differences and fails the test when there are any.
sn_tree_compare() { # SRC DST [OPTIONS]
    python3 - "$@" <<'PY' || sn_fail "tree $2 differs from $1"
import os, stat, sys
src, dst, opts = sys.argv[1].encode(), sys.argv[2].encode(), sys.argv[3:]
links = "--no-hardlinks" not in opts
want_mtime = int(opts[opts.index("--mtime") + 1]) if "--mtime" in opts else None
check_mtime = "--no-mtime" not in opts
root_owned = "--root-owned" in opts
problems = []

def walk(root):
    out = {}
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(d, name)
            out[os.path.relpath(p, root)] = (p, os.lstat(p))
    out[b"."] = (root, os.lstat(root))
    return out

def kind(st):
    return "d" if stat.S_ISDIR(st.st_mode) else "l" if stat.S_ISLNK(st.st_mode) else \
        "f" if stat.S_ISREG(st.st_mode) else "other"

def same_content(a, b):
    with open(a, "rb") as x, open(b, "rb") as y:
        while True:
            u, v = x.read(1 << 22), y.read(1 << 22)
            if u != v:
                return False
            if not u:
                return True

def groups(tree):
    by = {}
    for rel, (p, st) in tree.items():
        if kind(st) == "f":
            by.setdefault((st.st_dev, st.st_ino), []).append(rel)
    return sorted(sorted(g) for g in by.values() if len(g) > 1)

a, b = walk(src), walk(dst)
for rel in sorted(set(a) | set(b)):
    if rel not in b or rel not in a:
        problems.append("%r only in %s" % (rel, "source" if rel in a else "image"))
        continue
    (pa, sa), (pb, sb) = a[rel], b[rel]
    ka, kb = kind(sa), kind(sb)
    if ka != kb:
        problems.append("%r: type %s vs %s" % (rel, ka, kb))
        continue
    if ka != "l" and stat.S_IMODE(sa.st_mode) != stat.S_IMODE(sb.st_mode):
        problems.append("%r: mode %o vs %o" % (rel, stat.S_IMODE(sa.st_mode), stat.S_IMODE(sb.st_mode)))
    if root_owned and (sb.st_uid, sb.st_gid) != (0, 0):
        problems.append("%r: owner %d:%d" % (rel, sb.st_uid, sb.st_gid))
    if check_mtime and not (rel == b"." and "--no-root-mtime" in opts):
        t = want_mtime if want_mtime is not None else int(sa.st_mtime)
        if int(sb.st_mtime) != t:
            problems.append("%r: mtime %d, expected %d" % (rel, int(sb.st_mtime), t))
    if ka == "l" and os.readlink(pa) != os.readlink(pb):
        problems.append("%r: target %r vs %r" % (rel, os.readlink(pa), os.readlink(pb)))
    if ka == "f":
        if sa.st_size != sb.st_size:
            problems.append("%r: size %d vs %d" % (rel, sa.st_size, sb.st_size))
        elif not same_content(pa, pb):
            problems.append("%r: content differs" % rel)
        if links and sa.st_nlink != sb.st_nlink:
            problems.append("%r: nlink %d vs %d" % (rel, sa.st_nlink, sb.st_nlink))
if links and "--no-inode-numbers" not in opts and groups(a) != groups(b):
    problems.append("hardlink groups differ: %r vs %r" % (groups(a), groups(b)))
for p in problems[:40]:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
}

# Makes a tree with every awkward case a squashfs writer must handle: empty files and directories,
# deep nesting, 10 000 files in one directory, names with spaces, newlines, tabs and UTF-8, a
# 255-byte name, hardlinks (3 links; links of a file with blocks and a tail), symlinks (dangling,
# absolute, to a directory, a 1000-byte target), files of exactly one block (131072 bytes) and one
# block plus one byte, all-zero and half-zero files, incompressible data, duplicate files,
# setuid/sticky/private modes and varied times. Prints DIR.
sn_awkward_tree() { # DIR
    python3 - "$1" <<'PY' || sn_fail "cannot make the awkward tree in $1"
import os, sys
root = sys.argv[1]
B = 131072
def w(rel, data, mode=0o644, mtime=None):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(data)
    os.chmod(p, mode)
    if mtime is not None:
        os.utime(p, (mtime, mtime))
text = b"".join(b"line %d of some compressible text\n" % i for i in range(20000))
rnd = os.urandom(4 * B)
os.makedirs(root, exist_ok=True)
os.makedirs(os.path.join(root, "empty-dir"))
w("empty-file", b"")
deep = os.path.join(*["lvl%d" % i for i in range(120)])
w(os.path.join(deep, "bottom"), b"at the bottom\n")
for i in range(10000):
    w("many/f%05d" % i, b"file %d\n" % (i % 9000))   # 1000 duplicates among them
for name in ["with space", "new\nline", "tab\tname", "\u00fctf-8 \u2603 \u65e5\u672c", "-dash", "n" * 255]:
    w(os.path.join("names", name), name.encode() + b"\n")
w("links/a", text[:300000])
os.link(os.path.join(root, "links/a"), os.path.join(root, "links/b"))
os.makedirs(os.path.join(root, "links/sub"))
os.link(os.path.join(root, "links/a"), os.path.join(root, "links/sub/c"))
w("links/small", b"small linked\n")
os.link(os.path.join(root, "links/small"), os.path.join(root, "links/small2"))
os.symlink("does/not/exist", os.path.join(root, "dangling"))
os.symlink("/etc/hostname", os.path.join(root, "absolute"))
os.symlink(deep.split("/")[0], os.path.join(root, "to-dir"))
os.symlink("t" * 1000, os.path.join(root, "long-target"))
w("sizes/one-block", rnd[:B])
w("sizes/one-block-plus-one", rnd[:B + 1])
w("sizes/two-blocks-text", text[:2 * B])
w("sizes/zero-middle", rnd[:B] + bytes(B) + rnd[B:2 * B] + b"tail")
w("sizes/all-zero", bytes(3 * B))
w("sizes/random-small", rnd[:1000])
w("sizes/one-byte", b"x")
w("dups/a", text[:300000])
w("dups/b", text[:300000])
w("dups/small-a", b"same small content\n")
w("dups/small-b", b"same small content\n")
w("dups/same-size-other", text[1:300001])
w("modes/private", b"p\n", 0o600)
w("modes/setuid", b"s\n", 0o4755)
w("modes/exec", b"#!/bin/sh\n", 0o755)
w("times/one", b"1\n", mtime=1)
w("times/old", b"o\n", mtime=86400 * 365)
sticky = os.path.join(root, "modes/sticky-dir")
os.makedirs(sticky)
os.chmod(sticky, 0o1777)
priv = os.path.join(root, "modes/private-dir")
os.makedirs(priv)
w("modes/private-dir/inside", b"i\n")
os.chmod(priv, 0o700)
PY
    printf '%s\n' "$1"
}

# sn_tmpdir and sn_mount_image register their cleanup in the shell that runs them; called as
# $(...), that is a subshell, whose registrations the EXIT trap never sees, so the directory or
# the mount outlives the test. These two set the variable NAME in the calling shell instead.
sn_tmpdir_into() { # NAME
    local _sn_d
    _sn_d=$(mktemp -d "${TMPDIR:-/tmp}/sn-test.XXXXXX")
    chmod 0755 "$_sn_d"
    sn_cleanup_add "rm -rf '$_sn_d'"
    printf -v "$1" '%s' "$_sn_d"
}
sn_mount_image_into() { # NAME FILE [OFFSET]
    local _sn_m
    sn_tmpdir_into _sn_m
    mount -t squashfs -o "ro,loop,offset=${3:-0}" "$2" "$_sn_m" || sn_fail "kernel mount of $2 (offset ${3:-0}) failed"
    sn_cleanup_add "umount -l '$_sn_m'"
    printf -v "$1" '%s' "$_sn_m"
}

# Serves DIR over HTTP on 127.0.0.1 (a free port) until the test exits: Python's http.server with
# byte ranges added (RFC 7233: one range as a plain 206, several as multipart/byteranges), which
# zsync clients need and `python3 -m http.server` lacks. Each response's status, requested ranges
# and body bytes are appended to LOG, one line per request: "STATUS BYTES RANGE". Sets NAME to the
# port (not a command substitution: the server and its cleanup must belong to the test's shell).
sn_http_serve_into() { # NAME DIR LOG
    local dir=$2 log=$3 portfile pid i
    portfile=$(mktemp)
    python3 -u - "$dir" "$log" "$portfile" <<'PY' >/dev/null 2>&1 &
import functools, http.server, os, re, sys
root, log, portfile = sys.argv[1:4]

class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def record(self, status, nbytes):
        with open(log, "a") as f:
            f.write("%d %d %s\n" % (status, nbytes, self.headers.get("Range", "-")))

    def parse_ranges(self, spec, size):
        m = re.fullmatch(r"\s*bytes\s*=\s*(.+)", spec)
        if not m:
            return None
        ranges = []
        for part in m.group(1).split(","):
            a, _, b = part.strip().partition("-")
            if a == "":
                start, end = max(0, size - int(b)), size - 1
            else:
                start, end = int(a), min(int(b) if b else size - 1, size - 1)
            if start > end:
                return None
            ranges.append((start, end))
        return ranges

    def send_body(self, status, headers, body):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.record(status, len(body))

    def do_GET(self):
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            return self.send_body(404, [], b"")
        size = os.path.getsize(path)
        spec = self.headers.get("Range")
        with open(path, "rb") as f:
            if spec is None:
                return self.send_body(200, [("Content-Type", "application/octet-stream")], f.read())
            ranges = self.parse_ranges(spec, size)
            if ranges is None:
                return self.send_body(416, [("Content-Range", "bytes */%d" % size)], b"")
            parts = []
            for start, end in ranges:
                f.seek(start)
                parts.append((start, end, f.read(end - start + 1)))
        if len(parts) == 1:
            start, end, data = parts[0]
            return self.send_body(206, [("Content-Type", "application/octet-stream"),
                                        ("Content-Range", "bytes %d-%d/%d" % (start, end, size))], data)
        boundary = "sn-byteranges"
        body = b"".join(b"\r\n--%s\r\nContent-Type: application/octet-stream\r\n"
                        b"Content-Range: bytes %d-%d/%d\r\n\r\n" % (boundary.encode(), s, e, size) + d
                        for s, e, d in parts) + b"\r\n--%s--\r\n" % boundary.encode()
        self.send_body(206, [("Content-Type", "multipart/byteranges; boundary=" + boundary)], body)

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=root))
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile + ".ready")
server.serve_forever()
PY
    pid=$!
    sn_cleanup_add "kill $pid; wait $pid"
    for ((i = 0; i < 100; i++)); do
        [ -s "$portfile.ready" ] && break
        kill -0 "$pid" 2>/dev/null || sn_fail "the HTTP server for $dir did not start"
        sleep 0.05
    done
    [ -s "$portfile.ready" ] || sn_fail "the HTTP server for $dir did not start within 5 s"
    printf -v "$1" '%s' "$(cat "$portfile.ready")"
    rm -f "$portfile" "$portfile.ready"
}

# A temporary directory on its own tmpfs (unmounted and removed on exit), for tests that write
# and unpack many files: the shared disk here is slow for that. Prints its path.
sn_tmpfs_dir() {
    local d
    d=$(sn_tmpdir)
    mount -t tmpfs -o mode=0755 sn-test "$d" || sn_fail "cannot mount a tmpfs on $d"
    sn_cleanup_add "umount -l '$d'"
    printf '%s\n' "$d"
}

# Benchmarks: replaces the section of docs/benchmarks.md that starts with the line HEADING (up to
# the next "## " heading) by the contents of SECTION_FILE, or appends it when there is none yet;
# then prints the section.
sn_bench_write_section() { # HEADING SECTION_FILE
    local doc=$SN_ROOT/docs/benchmarks.md
    [ -f "$doc" ] || printf '# squashnix benchmarks\n' >"$doc"
    python3 - "$doc" "$2" "$1" <<'PY'
import sys
path, new, head = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3]
doc = open(path).read()
if head in doc:
    start = doc.index(head)
    nxt = doc.find("\n## ", start + 1)
    doc = doc[:start] + new + (doc[nxt + 1:] if nxt >= 0 else "")
else:
    doc = doc.rstrip("\n") + "\n\n" + new
open(path, "w").write(doc)
PY
    cat "$2"
}
