#!/usr/bin/env bash
# The release recipe .github/workflows/release.yml cannot run here; this checks what can be checked:
# it parses as YAML (Debian's python3-yaml); it runs on version tags; it builds on x86_64-linux and
# aarch64-linux with the flake outputs packages.<system>.default and lib.<system>.mkAppImage, which
# flake.nix defines for both systems; every action is pinned to a version; every `run:` script is
# valid bash (bash -n, with the ${{ }} expressions replaced); the bundles get their .zsync and
# .sha256 from mkAppImage's zsync and sha256 outputs; the release job attaches *.AppImage, *.zsync
# and *.sha256; and every command the run scripts use (the program, and for nix and gh their
# subcommands) appears in a shell example of the README's "Publishing releases" section.
. "$(dirname "$0")/lib.sh"

wf=$SN_ROOT/.github/workflows/release.yml
[ -f "$wf" ] || sn_fail "$wf is missing"
sn_tmpdir_into tmp
/usr/bin/python3 - "$wf" "$tmp" "$SN_ROOT/README.md" <<'PY' || sn_fail "$wf: see above"
import re, shlex, sys, yaml

path, tmp, readme = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path) as f:
    wf = yaml.safe_load(f)
problems = []

def check(ok, what):
    if not ok:
        problems.append(what)

# YAML 1.1 reads the key `on` as the boolean true.
on = wf.get("on", wf.get(True))
check(isinstance(on, dict) and "v*" in on.get("push", {}).get("tags", []), "not triggered by v* tags")
check(wf.get("permissions", {}).get("contents") == "write", "needs contents: write to publish")
jobs = wf.get("jobs", {})
check(set(jobs) == {"build", "release"}, "jobs are not build and release: %r" % list(jobs))
build, release = jobs.get("build", {}), jobs.get("release", {})
include = build.get("strategy", {}).get("matrix", {}).get("include", [])
check(sorted(i.get("system") for i in include) == ["aarch64-linux", "x86_64-linux"],
      "build matrix is not x86_64-linux and aarch64-linux")
check(release.get("needs") == "build", "release does not wait for build")

scripts = []
for name, job in jobs.items():
    check("runs-on" in job, "job %s has no runs-on" % name)
    for i, step in enumerate(job.get("steps", [])):
        if "uses" in step:
            check(re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]) is not None,
                  "job %s step %d: action not pinned to a version: %s" % (name, i, step["uses"]))
        elif "run" in step:
            scripts.append((name, i, step["run"]))
        else:
            problems.append("job %s step %d: neither uses nor run" % (name, i))
build_text = "\n".join(s for n, _, s in scripts if n == "build")
release_text = "\n".join(s for n, _, s in scripts if n == "release")
for needle in ("nix build", "lib.$SYSTEM.mkAppImage", "packages.$SYSTEM.default", "updateInfo",
               "zsync = true", "sha256 = true", ".zsync", ".sha256", "sha256sum -c"):
    check(needle in build_text, "build job does not use %s" % needle)
for needle in ("dist/*.AppImage", "dist/*.zsync", "dist/*.sha256", "gh release"):
    check(needle in release_text, "release job does not attach %s" % needle)
check(any(s.get("uses", "").startswith("actions/upload-artifact@") for s in build.get("steps", [])),
      "build job does not upload its files")
update = build.get("env", {}).get("UPDATE_INFO", "")
check(re.fullmatch(r"gh-releases-zsync\|[^|]+\|[^|]+\|latest\|[^|]+\.zsync", update) is not None,
      "UPDATE_INFO is not a gh-releases-zsync string: %r" % update)

KEYWORDS = {"if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}"}

def commands(script):
    """The commands a shell script runs: the program, with its subcommands for nix and gh."""
    script = re.sub(r"(^|[ \t])#[^\n]*", r"\1", script, flags=re.M)  # comments
    script = script.replace("\\\n", " ")  # continued lines
    lex = shlex.shlex(script, posix=True, punctuation_chars=";&|()<>\n")
    lex.whitespace_split = True
    lex.whitespace = " \t\r"
    lex.commenters = ""
    found, words, at_start, skip = set(), [], True, False
    def finish():
        if words:
            name, rest = words[0], [w for w in words[1:] if not w.startswith("-")]
            depth = {"nix": 1, "gh": 2}.get(name, 0)
            found.add(" ".join([name] + rest[:depth]))
    for tok in lex:
        if skip:
            skip = False
        elif set(tok) <= set(";&|()\n"):
            finish()
            words, at_start = [], True
        elif "<" in tok or ">" in tok:
            skip = True
        elif at_start and (tok in KEYWORDS or re.fullmatch(r"\w+=.*", tok, re.S)):
            continue
        elif at_start and tok == "for":
            words, at_start = [], False  # `for x in ...`: no command until `do`
            found.add("for")
        else:
            at_start = False
            words.append(tok)
    finish()
    found.discard("for")
    return found

def readme_commands(text):
    section = text.split("\n## Publishing releases", 1)
    if len(section) < 2:
        return None
    section = section[1].split("\n## ", 1)[0]
    found = set()
    for block in re.findall(r"```(?:sh|console|bash)\n(.*?)```", section, re.S):
        found |= commands(block)
    return found

with open(readme) as f:
    documented = readme_commands(f.read())
check(documented is not None, "README.md has no \"## Publishing releases\" section")
used = set()
for _, _, script in scripts:
    used |= commands(re.sub(r"\$\{\{[^}]*\}\}", "EXPR", script))
print("commands in the run scripts: " + ", ".join(sorted(used)))
check(len(used) >= 5, "found too few commands in the run scripts: %r" % sorted(used))
for c in sorted(used - (documented or set())):
    problems.append("`%s` is not in a shell example of the README's Publishing releases section" % c)

# Each run script as a file for bash -n, GitHub expressions replaced by a word.
for n, (job, i, script) in enumerate(scripts):
    with open("%s/run-%d-%s-%d.sh" % (tmp, n, job, i), "w") as f:
        f.write(re.sub(r"\$\{\{[^}]*\}\}", "EXPR", script))
for p in problems:
    print("release.yml: " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
for s in "$tmp"/run-*.sh; do
    bash -n "$s" || sn_fail "$(basename "$s"): a run: script in $wf is not valid bash"
done

# The flake outputs the workflow uses exist for both systems.
flake=$SN_ROOT/flake.nix
for needle in '"x86_64-linux"' '"aarch64-linux"' 'packages = eachSystem' 'default = parts.${system}.squashnix' \
    'lib = eachSystem' 'inherit (parts.${system}) mkAppImage'; do
    grep -qF "$needle" "$flake" || sn_fail "flake.nix lacks [$needle], which release.yml relies on"
done
grep -q 'updateInfo ? null' "$SN_ROOT/nix/mk-appimage.nix" || sn_fail "mkAppImage takes no updateInfo"
echo "PASS test_release_workflow"
