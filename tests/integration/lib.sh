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

SN_CLEANUPS=()
sn_cleanup_add() { SN_CLEANUPS+=("$*"); }
sn_run_cleanups() {
    local i
    for ((i = ${#SN_CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${SN_CLEANUPS[i]}" >/dev/null 2>&1 || true
    done
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

# A squashfs image of DIR written by mksquashfs (the peer), at an optional byte offset: when
# RUNTIME is given, the image follows a copy of it, making an AppImage.
sn_mksquashfs_appimage() { # DIR OUT [RUNTIME]
    local dir=$1 out=$2 runtime=${3:-}
    if [ -n "$runtime" ]; then
        cp "$runtime" "$out"
        mksquashfs "$dir" "$out" -offset "$(stat -c %s "$runtime")" -all-root -no-xattrs -noappend -quiet -comp zstd >/dev/null
        chmod 0755 "$out"
    else
        mksquashfs "$dir" "$out" -all-root -no-xattrs -noappend -quiet -comp zstd >/dev/null
    fi
}
