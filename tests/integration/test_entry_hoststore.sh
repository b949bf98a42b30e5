#!/usr/bin/env bash
# The entry on a host with its own Nix store (this machine): when the bundle holds a path the host
# lacks, the bundle's store is merged over the host's, so host symlinks into the host's store
# resolve inside and the bundle's paths are there too; when the host holds the whole closure, the
# program runs directly with no namespace (SQUASHNIX_NO_HOST_STORE=1 turns that off).
. "$(dirname "$0")/lib.sh"
sn_require_root

tmp=$(sn_tmpdir)
tools=$(sn_fixture_tools)
demo=$(sn_fixture_demo)
[ -d /nix/store ] || sn_fail "this test needs the host's /nix/store"
sn_appdir_from_closure "$tmp/tools" "$tools" bin/busybox >/dev/null

sn_log "every closure path in the host store: no namespace, for the user and for root"
outside=$(sn_as_user readlink /proc/self/ns/mnt)
sn_assert_eq "$outside" "$(sn_as_user env APPDIR="$tmp/tools" "$tmp/tools/AppRun" readlink /proc/self/ns/mnt)" \
    "mount namespace inside (user)"
sn_assert_eq "$(readlink /proc/self/ns/mnt)" "$(APPDIR="$tmp/tools" "$tmp/tools/AppRun" readlink /proc/self/ns/mnt)" \
    "mount namespace inside (root)"
inside=$(sn_as_user env SQUASHNIX_NO_HOST_STORE=1 APPDIR="$tmp/tools" "$tmp/tools/AppRun" readlink /proc/self/ns/mnt)
[ "$inside" != "$outside" ] || sn_fail "SQUASHNIX_NO_HOST_STORE=1 did not make a namespace"

sn_log "a path the host lacks: the stores are merged"
# A store path only the bundle holds (the hash is all zeros: no build makes it).
marker=/nix/store/00000000000000000000000000000000-squashnix-entry-only
[ ! -e "$marker" ] || sn_fail "$marker exists on the host; remove it"
mkdir -p "$tmp/tools$marker"
echo "from the bundle" >"$tmp/tools$marker/file"
{ cat "$tmp/tools/.squashnix/closure"; echo "$marker"; } | sort >"$tmp/closure"
cp "$tmp/closure" "$tmp/tools/.squashnix/closure"
# A host file that links into the host's store, like /etc/fonts/fonts.conf on NixOS; the demo
# closure is in the host's store, not in the bundle.
ln -s "$demo/share/doc/demo-hello/README" "$tmp/hostlink"
for as in user root; do
    if [ $as = user ]; then prefix=(sn_as_user env); else prefix=(env); fi
    out=$("${prefix[@]}" APPDIR="$tmp/tools" "$tmp/tools/AppRun" sh -c \
        "cat $tmp/hostlink && cat $marker/file && $demo/bin/demo-hello merged && readlink /proc/self/ns/mnt")
    expected=$(printf '%s\n%s\n%s' "demo-hello 1.0: a squashnix test fixture" "from the bundle" "Hello, merged!")
    sn_assert_eq "$expected" "$(printf '%s' "$out" | head -n 3)" "host store and bundle store inside ($as)"
    [ "$(printf '%s' "$out" | tail -n 1)" != "$(readlink /proc/self/ns/mnt)" ] ||
        sn_fail "no namespace made though the host lacks $marker ($as)"
done

sn_log "the host's store is not changed by the merge"
[ ! -e "$marker" ] || sn_fail "$marker appeared in the host's store"
sn_assert_eq "no" "$(APPDIR="$tmp/tools" "$tmp/tools/AppRun" sh -c "touch /nix/store/x 2>/dev/null && echo yes || echo no")" \
    "the merged store is read-only"
sn_log "where the kernel refuses the merge, the bundle's store shadows the host's, and the trace says so"
# The host's store stacked twice as overlays: one more overlay passes the kernel's stacking limit.
mkdir "$tmp/empty"
out=$(unshare --mount --propagation private -- sh -c '
    for i in 1 2; do mount -t overlay overlay -o "ro,lowerdir=/nix/store:$1" /nix/store || exit 2; done
    shift; exec "$@"' sh "$tmp/empty" \
    env SQUASHNIX_DEBUG=1 APPDIR="$tmp/tools" "$tmp/tools/AppRun" sh -c \
    "cat $marker/file; test -e $demo && echo host-store-visible || echo host-store-hidden" 2>"$tmp/err")
sn_assert_eq $'from the bundle\nhost-store-hidden' "$out" "shadowed store"
sn_assert_contains "$(cat "$tmp/err")" "the image's store shadows the host's instead" "debug trace"
echo "test_entry_hoststore: ok"
