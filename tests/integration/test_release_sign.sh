#!/usr/bin/env bash
# AppImage signatures with a throwaway ed25519 key made in a temporary GNUPGHOME: squashnix --sign
# puts a detached armoured signature in .sha256_sig and the public key in .sig_key of the bundle it
# writes; squashnix verify names the signer and fingerprint; the signature also checks out the way
# AppImage's validate tool does it (sections zeroed, sha256sum's hex digest, gpg --verify with the
# key from .sig_key), the runtime's --appimage-signature prints it, and the MD5 digest still
# matches. Only the two sections differ from the same bundle unsigned (SOURCE_DATE_EPOCH: the same
# bytes otherwise), and the .zsync and .sha256 written with it describe the signed file. A changed
# byte and an unsigned bundle make verify exit 3 naming the problem; an unknown key and a public
# key too large for .sig_key make squashnix exit 1 and write nothing (no bundle, no .zsync, no
# .sha256, a previous bundle untouched); no temporary directory is left behind.
. "$(dirname "$0")/lib.sh"
sn_require_root

SN=$SN_BUILD/squashnix
demo=$(sn_fixture_demo)
sn_tmpdir_into tmp
mkdir -m 0700 "$tmp/gnupg" "$tmp/tmp"
export GNUPGHOME=$tmp/gnupg
sn_cleanup_add "gpgconf --homedir '$tmp/gnupg' --kill all"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Release Bot <bot@example.org>' ed25519 sign never \
    2>/dev/null || sn_fail "cannot make a throwaway key"
fpr=$(gpg --with-colons --list-keys bot@example.org | awk -F: '$1 == "fpr" { print $10; exit }')

app=$tmp/demo.AppImage
export SOURCE_DATE_EPOCH=1700000000
update='zsync|https://example.org/demo.AppImage.zsync'
"$SN" -q --update-info "$update" -o "$tmp/unsigned.AppImage" "$demo" || sn_fail "squashnix failed"
export TMPDIR=$tmp/tmp # where the signature module makes its working directories

"$SN" -q --update-info "$update" --sign bot@example.org --zsync --sha256 -o "$app" "$demo" ||
    sn_fail "squashnix --sign failed"
out=$("$SN" verify "$app") || sn_fail "squashnix verify failed on a signed bundle"
sn_assert_contains "$out" "signature:   good" "verify"
sn_assert_contains "$out" "signer:      Release Bot <bot@example.org>" "signer"
sn_assert_contains "$out" "fingerprint: $fpr" "fingerprint"
(cd "$tmp" && sha256sum -c --status demo.AppImage.sha256) || sn_fail "the .sha256 does not match the signed bundle"
sn_assert_eq "SHA-1: $(sha1sum <"$app" | cut -d ' ' -f 1)" "$(grep -a -m1 '^SHA-1:' "$app.zsync")" "the .zsync of the signed bundle"

# Only .sha256_sig and .sig_key changed.
section() { # NAME -> "OFFSET SIZE" (decimal)
    local off size
    read -r off size <<<"$(readelf -SW "$app" | sed 's/\[ */[/' | awk -v n="$1" '$2 == n { print $5, $6 }')"
    [ -n "$off" ] || sn_fail "no section $1 in $app"
    echo "$((16#$off)) $((16#$size))"
}
read -r sig_off sig_size <<<"$(section .sha256_sig)"
read -r key_off key_size <<<"$(section .sig_key)"
{ cmp -l "$tmp/unsigned.AppImage" "$app" || true; } | awk -v so="$sig_off" -v ss="$sig_size" -v ko="$key_off" -v ks="$key_size" '
    { o = $1 - 1; if (!((o >= so && o < so + ss) || (o >= ko && o < ko + ks))) { print "changed byte at " o; bad = 1 } }
    END { if (NR == 0) { print "no byte changed"; bad = 1 } exit bad }' || sn_fail "signing changed bytes outside .sha256_sig and .sig_key"

# Independently, as AppImage's validate does it.
check=$tmp/check
mkdir -m 0700 "$check" "$check/home"
cp "$app" "$check/zeroed"
dd if=/dev/zero of="$check/zeroed" bs=1 seek="$sig_off" count="$sig_size" conv=notrunc status=none
dd if=/dev/zero of="$check/zeroed" bs=1 seek="$key_off" count="$key_size" conv=notrunc status=none
sha256sum "$check/zeroed" | cut -d ' ' -f 1 | tr -d '\n' >"$check/digest"
dd if="$app" bs=1 skip="$sig_off" count="$sig_size" status=none | tr -d '\0' >"$check/sig.asc"
dd if="$app" bs=1 skip="$key_off" count="$key_size" status=none | tr -d '\0' >"$check/key.asc"
sn_assert_contains "$(head -1 "$check/sig.asc")" "BEGIN PGP SIGNATURE" ".sha256_sig"
sn_assert_contains "$(head -1 "$check/key.asc")" "BEGIN PGP PUBLIC KEY BLOCK" ".sig_key"
gpg --homedir "$check/home" --batch --quiet --import "$check/key.asc" 2>/dev/null || sn_fail "cannot import .sig_key"
gpg --homedir "$check/home" --batch --verify "$check/sig.asc" "$check/digest" 2>"$check/verify.txt" ||
    { cat "$check/verify.txt" >&2; sn_fail "gpg --verify rejects the signature of the zeroed file's sha256 hex digest"; }
sn_assert_contains "$(cat "$check/verify.txt")" 'Good signature from "Release Bot <bot@example.org>"' "gpg --verify"

# The runtime prints the signature; the MD5 digest (which excludes both sections) still matches.
printed=$("$app" --appimage-signature) || sn_fail "--appimage-signature failed"
sn_assert_eq "$(cat "$check/sig.asc")" "$printed" "--appimage-signature output"
sn_assert_contains "$("$SN_BUILD/squashnix" inspect "$app")" "(matches)" "MD5 digest after signing"

# A changed byte in the image.
cp "$app" "$tmp/tampered.AppImage"
size=$(stat -c %s "$app")
printf '\001' | dd of="$tmp/tampered.AppImage" bs=1 seek=$((size - 5000)) conv=notrunc status=none
cmp -s "$app" "$tmp/tampered.AppImage" && printf '\002' | dd of="$tmp/tampered.AppImage" bs=1 seek=$((size - 5000)) conv=notrunc status=none
expect_fail() { # STATUS WHAT NEEDLE COMMAND...
    local want=$1 what=$2 needle=$3 status
    shift 3
    set +e
    "$@" >/dev/null 2>"$tmp/err.txt"
    status=$?
    set -e
    sn_assert_eq "$want" "$status" "exit status for $what"
    sn_assert_contains "$(cat "$tmp/err.txt")" "$needle" "message for $what"
}
expect_fail 3 "a changed byte" "BAD signature" "$SN" verify "$tmp/tampered.AppImage"
expect_fail 3 "an unsigned bundle" "is not signed" "$SN" verify "$tmp/unsigned.AppImage"

# Signing errors write nothing: no bundle and no release files, a previous bundle untouched.
mkdir "$tmp/out"
cp "$tmp/unsigned.AppImage" "$tmp/out/prev.AppImage"
nothing_written() { # WHAT
    sn_assert_eq "prev.AppImage" "$(ls -A "$tmp/out")" "files after $1"
    cmp -s "$tmp/unsigned.AppImage" "$tmp/out/prev.AppImage" || sn_fail "$1 changed the previous bundle"
}
expect_fail 1 "an unknown key" "could not sign with key nobody@example.org" \
    "$SN" -q --sign nobody@example.org --zsync --sha256 -o "$tmp/out/new.AppImage" "$demo"
nothing_written "an unknown key"
expect_fail 1 "an unknown key over a previous bundle" "could not sign with key nobody@example.org" \
    "$SN" -q --sign nobody@example.org --zsync -o "$tmp/out/prev.AppImage" "$demo"
nothing_written "an unknown key over a previous bundle"

# A public key larger than .sig_key (8192 bytes): many long user ids.
gpg --batch --quiet --passphrase '' --quick-gen-key 'Big Key <big@example.org>' ed25519 sign never 2>/dev/null
bigfpr=$(gpg --with-colons --list-keys big@example.org | awk -F: '$1 == "fpr" { print $10; exit }')
for i in $(seq 1 40); do
    gpg --batch --quiet --passphrase '' --quick-add-uid "$bigfpr" \
        "Big Key number $i with a rather long name for its user id <big$i@example.org>" 2>/dev/null
done
expect_fail 1 "a key too large for .sig_key" "does not fit in .sig_key (8192 bytes" \
    "$SN" -q --sign "$bigfpr" --sha256 -o "$tmp/out/new.AppImage" "$demo"
nothing_written "a key too large for .sig_key"

left=$(ls -A "$tmp/tmp")
sn_assert_eq "" "$left" "temporary directories left behind"
echo "PASS test_release_sign"
