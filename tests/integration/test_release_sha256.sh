#!/usr/bin/env bash
# squashnix --sha256 writes OUTPUT.sha256 exactly as `sha256sum` prints it in OUTPUT's directory,
# so `sha256sum -c` accepts it, also for a name with spaces; --release-name puts the published
# name in it instead. --zsync and --sha256 together give both files, for the same bytes. When the
# checksum file cannot be written (a directory is in its way) nothing is half-done: exit status 2,
# a message naming it, the previous bundle and .zsync untouched, no temporary file left. Nor when
# the bundle itself cannot be renamed into place after its .zsync and .sha256 were (an immutable
# previous bundle, chattr +i): the previous .zsync and .sha256 are put back.
. "$(dirname "$0")/lib.sh"
sn_require_root

SN=$SN_BUILD/squashnix
demo=$(sn_fixture_demo)
sn_tmpdir_into tmp
cd "$tmp"

"$SN" -q --sha256 -o "with spaces.AppImage" "$demo" || sn_fail "squashnix --sha256 failed"
sn_assert_eq "$(sha256sum "with spaces.AppImage")" "$(cat "with spaces.AppImage.sha256")" ".sha256 of a name with spaces"
sha256sum -c --status "with spaces.AppImage.sha256" || sn_fail "sha256sum -c rejects the .sha256"
sn_assert_eq 644 "$(stat -c %a "with spaces.AppImage.sha256")" "mode of the .sha256"

mkdir pub
"$SN" -q --sha256 --zsync --release-name demo-1.0-x86_64.AppImage -o pub/build.AppImage "$demo" ||
    sn_fail "squashnix --sha256 --zsync --release-name failed"
sn_assert_eq "$(ls pub | tr '\n' ' ')" "build.AppImage build.AppImage.sha256 build.AppImage.zsync " "files written"
cp pub/build.AppImage pub/demo-1.0-x86_64.AppImage
(cd pub && sha256sum -c --status build.AppImage.sha256) || sn_fail "the .sha256 does not check the file under its published name"
sn_assert_contains "$(cat pub/build.AppImage.sha256)" "  demo-1.0-x86_64.AppImage" "the published name in the .sha256"
sn_assert_eq "Filename: demo-1.0-x86_64.AppImage" "$(grep -a -m1 '^Filename:' pub/build.AppImage.zsync)" "Filename: in the .zsync"
sn_assert_eq "URL: demo-1.0-x86_64.AppImage" "$(grep -a -m1 '^URL:' pub/build.AppImage.zsync)" "URL: in the .zsync"
sn_assert_eq "SHA-1: $(sha1sum <pub/build.AppImage | cut -d ' ' -f 1)" "$(grep -a -m1 '^SHA-1:' pub/build.AppImage.zsync)" "SHA-1: in the .zsync"

# A directory where the .sha256 goes: nothing new, nothing lost.
mkdir fail
printf old >fail/demo.AppImage
printf old >fail/demo.AppImage.zsync
mkdir fail/demo.AppImage.sha256
set +e
"$SN" -q --zsync --sha256 -o fail/demo.AppImage "$demo" 2>err.txt
status=$?
set -e
sn_assert_eq 2 "$status" "exit status when the .sha256 cannot be written"
sn_assert_contains "$(cat err.txt)" "fail/demo.AppImage.sha256" "message when the .sha256 cannot be written"
sn_assert_eq old "$(cat fail/demo.AppImage)" "the previous bundle"
sn_assert_eq old "$(cat fail/demo.AppImage.zsync)" "the previous .zsync"
sn_assert_eq "demo.AppImage demo.AppImage.sha256 demo.AppImage.zsync " "$(ls -A fail | tr '\n' ' ')" "files left"

# The bundle, renamed last, cannot replace the previous one: the release files go back.
rmdir fail/demo.AppImage.sha256
printf old >fail/demo.AppImage.sha256
chattr +i fail/demo.AppImage || sn_fail "chattr +i is not supported on $tmp"
sn_cleanup_add "chattr -i '$tmp/fail/demo.AppImage'"
set +e
"$SN" -q --zsync --sha256 -o fail/demo.AppImage "$demo" 2>err.txt
status=$?
set -e
sn_assert_eq 2 "$status" "exit status when the bundle cannot be renamed"
sn_assert_contains "$(cat err.txt)" "to fail/demo.AppImage: Operation not permitted" "message when the bundle cannot be renamed"
for f in demo.AppImage demo.AppImage.zsync demo.AppImage.sha256; do
    sn_assert_eq old "$(cat "fail/$f")" "the previous $f after a failed rename"
done
sn_assert_eq "demo.AppImage demo.AppImage.sha256 demo.AppImage.zsync " "$(ls -A fail | tr '\n' ' ')" "files left"
chattr -i fail/demo.AppImage
echo "PASS test_release_sha256"
