#!/usr/bin/env bash
# The extraction cache ($XDG_CACHE_HOME/squashnix/<key>) against what others, or a killed run,
# leave in its place. As the user, APPIMAGE_EXTRACT_AND_RUN=1:
#   - squashnix/ planted by root (0777), a symlink to another user's directory, or the user's own
#     but readable by others: refused with a message naming it (exit 127); nothing is written there
#     and nothing in it is run;
#   - <key> as a symlink, or as a directory of another user holding a fake AppRun: never used; the
#     run extracts its own tree (or refuses), and never runs the planted AppRun;
#   - a run SIGKILLed while extracting leaves no tree under <key>; the next run removes its
#     temporary tree, extracts, and gets the complete tree.
. "$(dirname "$0")/lib.sh"
sn_require_root

t=$(sn_tmpdir)
user=$(sn_test_user)
app=$(sn_runtime_shell_appdir "$t/app")
# Enough files that extraction takes a noticeable time (to be killed in the middle).
python3 - "$app/many" <<'PY'
import os, sys
for d in range(50):
    os.makedirs(os.path.join(sys.argv[1], "d%02d" % d))
    for f in range(100):
        with open(os.path.join(sys.argv[1], "d%02d" % d, "f%03d" % f), "wb") as fh:
            fh.write(os.urandom(4096))
PY
mksquashfs "$app" "$t/img.sqfs" -noD -noF -all-root -no-xattrs -noappend -quiet >/dev/null
cat "$SN_BUILD/runtime" "$t/img.sqfs" >"$t/App.AppImage"
chmod 0755 "$t/App.AppImage"
mkdir -m 0777 "$t/evil"

# Runs the bundle as the user with XDG_CACHE_HOME=DIR; sets out and rc.
run() { # DIR
    set +e
    out=$(cd "$t" && sn_as_user env XDG_CACHE_HOME="$1" APPIMAGE_EXTRACT_AND_RUN=1 \
        "$t/App.AppImage" exit 0 2>&1)
    rc=$?
    set -e
}
fresh_cache() { # prints a new cache base owned by the user
    local d
    d=$(mktemp -d "$t/cache.XXXXXX")
    chown "$user" "$d"
    printf '%s\n' "$d"
}

sn_log "a normal run extracts into the cache; its key"
c=$(fresh_cache)
run "$c"
sn_assert_eq 0 "$rc" "first run ($out)"
key=$(find "$c/squashnix" -mindepth 1 -maxdepth 1 -type d -regextype egrep -regex '.*/[0-9a-f]{32}' -printf '%f\n')
[ -n "$key" ] || sn_fail "no cache tree in $c/squashnix: $(ls -A "$c/squashnix")"
sn_tree_compare "$app" "$c/squashnix/$key" --no-mtime --no-root-mtime --no-hardlinks >/dev/null 2>&1 ||
    sn_tree_compare "$app" "$c/squashnix/$key" --no-mtime --no-root-mtime --no-hardlinks

sn_log "squashnix/ planted by root, world-writable"
c=$(fresh_cache)
mkdir -m 0777 "$c/squashnix"
run "$c"
sn_assert_eq 127 "$rc" "planted directory: exit status ($out)"
sn_assert_contains "$out" "$c/squashnix" "planted directory: message"
sn_assert_eq "" "$(ls -A "$c/squashnix")" "planted directory: nothing written in it"

sn_log "squashnix/ a symlink to another user's directory"
c=$(fresh_cache)
ln -s "$t/evil" "$c/squashnix"
run "$c"
sn_assert_eq 127 "$rc" "symlinked directory: exit status ($out)"
sn_assert_contains "$out" "$c/squashnix" "symlinked directory: message"
sn_assert_eq "" "$(ls -A "$t/evil")" "symlinked directory: nothing written through it"

sn_log "squashnix/ the user's own but open to others"
c=$(fresh_cache)
mkdir -m 0755 "$c/squashnix"
chown "$user" "$c/squashnix"
run "$c"
sn_assert_eq 127 "$rc" "open directory: exit status ($out)"
sn_assert_contains "$out" "chmod 700" "open directory: advice"

sn_log "<key> planted as a symlink to another directory"
c=$(fresh_cache)
mkdir -m 0700 "$c/squashnix"
chown "$user" "$c/squashnix"
ln -s "$t/evil" "$c/squashnix/$key"
run "$c"
sn_assert_eq 0 "$rc" "symlinked key: exit status ($out)"
[ ! -L "$c/squashnix/$key" ] && [ -d "$c/squashnix/$key" ] || sn_fail "symlinked key: not replaced by a tree"
sn_assert_eq "" "$(ls -A "$t/evil")" "symlinked key: nothing written through it"

sn_log "<key> planted as another user's directory with a fake AppRun"
c=$(fresh_cache)
mkdir -m 0700 "$c/squashnix"
chown "$user" "$c/squashnix"
mkdir -m 0755 "$c/squashnix/$key"
printf '#!/bin/sh\necho PLANTED\n' >"$c/squashnix/$key/AppRun"
chmod 0755 "$c/squashnix/$key/AppRun"
run "$c"
case "$out" in *PLANTED*) sn_fail "the planted AppRun ran" ;; esac
sn_log "  exit $rc: $(head -n 1 <<<"$out")"
sn_assert_eq 127 "$rc" "planted key: exit status ($out)"
sn_assert_contains "$out" "$c/squashnix/$key is in the way" "planted key: the message names it"
sn_assert_contains "$out" "remove it" "planted key: the message says what to do"

sn_log "SIGKILL in the middle of an extraction, then a clean run"
c=$(fresh_cache)
killed=0
tmp_trees() { find "$c/squashnix" -mindepth 1 -maxdepth 1 -name '.tmp-*' 2>/dev/null; }
for _ in 1 2 3 4 5; do
    rm -rf "$c/squashnix"
    (cd "$t" && exec setpriv --reuid="$user" --regid="$SN_TEST_GROUP" --init-groups -- \
        env XDG_CACHE_HOME="$c" APPIMAGE_EXTRACT_AND_RUN=1 "$t/App.AppImage" exit 0) >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 400); do
        [ -z "$(tmp_trees)" ] || break
        sleep 0.005
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ -n "$(tmp_trees)" ]; then
        killed=1
        break
    fi
done
[ $killed = 1 ] || sn_fail "could not kill an extraction in the middle in 5 attempts"
[ ! -e "$c/squashnix/$key" ] || sn_fail "a killed extraction left a tree under the final name"
run "$c"
sn_assert_eq 0 "$rc" "run after a killed extraction ($out)"
sn_assert_eq "" "$(tmp_trees)" "temporary trees removed"
sn_tree_compare "$app" "$c/squashnix/$key" --no-mtime --no-root-mtime --no-hardlinks
echo ok
