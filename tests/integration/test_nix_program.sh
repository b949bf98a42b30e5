#!/usr/bin/env bash
# mkAppImage's `program`: each accepted form (a derivation, found as lib.getExe finds it; an app; a
# store path string) selects the right program and closure, and the bundles built from them run;
# anything else fails at evaluation with a message saying what was given and what is accepted. Bad
# options fail the same way, naming the argument.
. "$(dirname "$0")/lib.sh"
sn_require_root

sn_tmpdir_into tmp
sn_nix_local_args "$tmp"
fixture=$(sn_fixture_demo)

# Evaluates Nix expression EXPR, where `l` is tests/nix/local.nix with the local tools and `fixture`
# the demo fixture; prints the resulting string (or JSON value).
nix_eval() { # EXPR
    local out
    out=$(nix-instantiate "${SN_NIX_OPTS[@]}" --eval --strict --json \
        -E "let l = $SN_NIX_LOCAL; fixture = l.fixture; in $1" 2>&1) ||
        sn_fail "evaluation of [$1] failed: $out"
    printf '%s\n' "$out" | sed -e 's/^"//' -e 's/"$//'
}

# Asserts that mkAppImage { program = EXPR; } runs PROGRAM and bundles the closure of STORE_PATH.
expect_program() { # EXPR PROGRAM STORE_PATH
    sn_assert_eq "$2" "$(nix_eval "(l.mkAppImage { program = $1; }).squashnix.program")" "program of [$1]"
    sn_assert_eq "$3" "$(nix_eval "toString (l.mkAppImage { program = $1; }).exportReferencesGraph.closure")" \
        "closure of [$1]"
}

# Asserts that evaluating mkAppImage ARGS fails with a message containing each of MESSAGES.
expect_error() { # ARGS MESSAGE...
    local args=$1 out m
    shift
    if out=$(nix-instantiate "${SN_NIX_OPTS[@]}" --eval \
        -E "let l = $SN_NIX_LOCAL; fixture = l.fixture; in (l.mkAppImage { $args }).drvPath" 2>&1); then
        sn_fail "mkAppImage { $args } evaluated; expected an error"
    fi
    for m in "$@"; do sn_assert_contains "$out" "$m" "error for mkAppImage { $args }"; done
}

# Builds mkAppImage { program = EXPR; } and runs the bundle with /nix hidden.
expect_runs() { # EXPR
    local out
    out=$(nix-build "${SN_NIX_OPTS[@]}" --no-out-link \
        -E "let l = $SN_NIX_LOCAL; fixture = l.fixture; in l.mkAppImage { program = $1; }" 2>&1) ||
        sn_fail "nix-build for program = $1 failed: $out"
    install -m 0755 "$(printf '%s\n' "$out" | tail -n 1)" "$tmp/form.AppImage"
    out=$(sn_without_nix "$tmp/form.AppImage" form 2>&1) || sn_fail "bundle of [$1] failed: $out"
    sn_assert_eq "Hello, form!" "$out" "output of the bundle of [$1]"
}

sn_log "a derivation: bin/<meta.mainProgram>, else bin/<pname>, else bin/<name without version>"
expect_program "fixture" "$fixture/bin/demo-hello" "$fixture"
expect_program 'fixture // { name = "renamed-2.0"; }' "$fixture/bin/renamed" "$fixture"
expect_program 'fixture // { pname = "demo-hello"; name = "renamed-2.0"; }' "$fixture/bin/demo-hello" "$fixture"
expect_program 'fixture // { pname = "other"; meta.mainProgram = "demo-hello"; }' "$fixture/bin/demo-hello" "$fixture"

sn_log "a derivation with a bin output: the program and the closure come from bin"
multi='derivation { name = "multi-1.0"; system = builtins.currentSystem; builder = "/bin/sh"; outputs = [ "out" "bin" ]; }'
multi_bin=$(nix_eval "($multi).bin.outPath")
expect_program "$multi" "$multi_bin/bin/multi" "$multi_bin"

sn_log "an app, a program path string, a package path string"
expect_program '{ type = "app"; program = "${fixture}/bin/demo-hello"; }' "$fixture/bin/demo-hello" "$fixture"
expect_program "\"$fixture/bin/demo-hello\"" "$fixture/bin/demo-hello" "$fixture"
expect_program "\"$fixture\"" "$fixture/bin/demo-hello" "$fixture"
expect_program "\"$fixture/\"" "$fixture/bin/demo-hello" "$fixture"

sn_log "the bundles of each form run with /nix hidden"
expect_runs 'fixture'
expect_runs '{ type = "app"; program = "${fixture}/bin/demo-hello"; }'
expect_runs "\"$fixture/bin/demo-hello\""

sn_log "anything else: what was given, and what is accepted"
accepted='mkAppImage: `program` must be one of'
expect_error 'program = 42;' "$accepted" "Given: a int (42)"
expect_error 'program = { foo = 1; bar = 2; };' "$accepted" "Given: an attribute set with attributes [ bar foo ]"
expect_error 'program = "/usr/bin/env";' "$accepted" 'Given: the string "/usr/bin/env" (not a path inside /nix/store)'
expect_error 'program = { type = "app"; program = "/usr/bin/env"; };' "$accepted" \
    'Given: an attribute set with attributes [ program type ] (its `program` is not inside /nix/store)'
expect_error 'program = x: x;' "$accepted" "Given: a function"
expect_error 'program = /usr/bin/env;' "$accepted" "Given: the path /usr/bin/env"
expect_error 'program = [ fixture ];' "$accepted" "Given: a list of 1 elements"

sn_log "bad options name the argument and what it takes"
expect_error 'program = fixture; compression = "brotli";' \
    'mkAppImage: `compression` must be one of "zstd", "xz", "gzip", "lz4", "none" or null; given: "brotli"'
expect_error 'program = fixture; level = "9";' 'mkAppImage: `level` must be an integer or null; given: "9"'
expect_error 'program = fixture; exclude = "*.a";' 'mkAppImage: `exclude` must be a list of glob strings; given: "*.a"'
expect_error 'program = fixture; extraArgs = "--level 3";' \
    'mkAppImage: `extraArgs` must be a list of strings (one argv word each); given: "--level 3"'
expect_error 'program = fixture; runtime = "/usr/lib/squashnix/runtime";' \
    'mkAppImage: `runtime` must be a path (./file) or a derivation; given: "/usr/lib/squashnix/runtime"'

# Builds mkAppImage ARGS and asserts that the build fails with squashnix's message MESSAGE.
expect_build_error() { # ARGS MESSAGE
    local out
    if out=$(nix-build "${SN_NIX_OPTS[@]}" --no-out-link \
        -E "let l = $SN_NIX_LOCAL; fixture = l.fixture; in l.mkAppImage { $1 }" 2>&1); then
        sn_fail "mkAppImage { $1 } built; expected squashnix to refuse it"
    fi
    sn_assert_contains "$out" "$2" "build error for mkAppImage { $1 }"
}

sn_log "what only the build can see: squashnix's message, each extraArgs element one argv word"
expect_build_error 'program = "${fixture}/share/doc/demo-hello/README";' \
    "/share/doc/demo-hello/README is not an executable file"
expect_build_error 'program = fixture; extraArgs = [ "--bogus value" ];' "unknown option '--bogus value'"
expect_build_error 'program = fixture; blockSize = 1000;' "--block-size '1000': expected a power of two"
