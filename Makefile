# squashnix build. GNU make; libraries found with pkg-config.
#
#   make                 build/squashnix (bundler), build/runtime and build/AppRun (static)
#   make test            install missing Debian packages (deps), build, run unit and integration tests
#   make SANITIZE=1 test the same under AddressSanitizer + UndefinedBehaviorSanitizer, in build-sanitize/
#   make bench           benchmarks; tables go to docs/benchmarks.md
#   make fuzz            fuzz harnesses for a bounded time (FUZZ_SECONDS per harness)
#   make fuzz-ci         the same, 20 s per harness (for CI)
#   make soak            the full soak test: 500 sequential and 50 concurrent launches per mode
#   make install         PREFIX (default /usr/local), DESTDIR
#   make deps            apt-get install what the build and tests need, only when something is missing
#   make format          clang-format -i;  make format-check: fail on unformatted code
#
# Layout convention: in each part (bundler/, bundler/squashfs/, runtime/, entry/) main.c holds main()
# and every other .c file is library code. A unit test tests/unit/test_<name>.c links the bundler's
# library objects, or the runtime's when <name> starts with runtime_, or the entry's when it starts
# with entry_.
#
# Sanitizers: the runtime and the entry are static executables, and ASan/UBSan runtimes need dynamic
# linking, so with SANITIZE=1 build/runtime and build/AppRun are built without sanitizers; their
# library code is still tested under the sanitizers through the unit tests, which link it dynamically.

PREFIX  ?= /usr/local
LIBDIR  ?= $(PREFIX)/lib/squashnix
VERSION := 0.1.0

CC      ?= cc
PKG     ?= pkg-config
STRIP   ?= strip
ifeq ($(SANITIZE),1)
BUILD   := build-sanitize
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
BUILD   := build
SANFLAGS :=
endif

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
CSTD     := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64
OPT      ?= -O2 -g
DEFS     := -DSQUASHNIX_VERSION='"$(VERSION)"' -DSQUASHNIX_LIBDIR='"$(LIBDIR)"'
BASEFLAGS := $(CSTD) $(WARN) $(OPT) $(DEFS) -Ibundler -Ibundler/squashfs -Iruntime -Ientry
CFLAGS_DYN    := $(BASEFLAGS) $(SANFLAGS) -pthread
CFLAGS_STATIC := $(BASEFLAGS) -pthread

BUNDLER_PKGS := libarchive jansson libzstd liblzma zlib liblz4 squashfuse
BUNDLER_CFLAGS := $(shell $(PKG) --cflags $(BUNDLER_PKGS) 2>/dev/null)
BUNDLER_LIBS   := $(shell $(PKG) --libs $(BUNDLER_PKGS) 2>/dev/null) -lpthread -lm

# -isystem: squashfuse's headers declare old-style prototypes that -Wstrict-prototypes rejects.
RUNTIME_CFLAGS := $(patsubst -I%,-isystem %,$(shell $(PKG) --cflags squashfuse_ll fuse3 2>/dev/null)) -DFUSE_USE_VERSION=32
# Static: squashfuse's reader and low-level ops, libfuse3, and every decompressor squashfuse knows.
RUNTIME_STATIC_LIBS := -lsquashfuse_ll -lsquashfuse -lfuse3 -lzstd -llzma -lz -llz4 -llzo2 -lpthread -ldl
RUNTIME_DYN_LIBS    := $(RUNTIME_STATIC_LIBS)

ENTRY_CFLAGS :=
ENTRY_STATIC_LIBS :=
ENTRY_DYN_LIBS :=

CMOCKA_LIBS := $(shell $(PKG) --libs cmocka 2>/dev/null)

BUNDLER_SRC  := $(sort $(wildcard bundler/*.c bundler/squashfs/*.c))
RUNTIME_SRC  := $(sort $(wildcard runtime/*.c runtime/sqfs/*.c))
ENTRY_SRC    := $(sort $(wildcard entry/*.c))
UNIT_SRC     := $(sort $(wildcard tests/unit/test_*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
sobj = $(patsubst %.c,$(BUILD)/sobj/%.o,$(1))

BUNDLER_LIB_OBJ := $(call obj,$(filter-out bundler/main.c,$(BUNDLER_SRC)))
RUNTIME_LIB_OBJ := $(call obj,$(filter-out runtime/main.c,$(RUNTIME_SRC)))
ENTRY_LIB_OBJ   := $(call obj,$(filter-out entry/main.c,$(ENTRY_SRC)))
UNIT_BIN        := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
# Test tools (tests/tools/*.c): small drivers over the bundler's library for integration tests.
TOOL_BIN        := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(sort $(wildcard tests/tools/*.c)))
# Named as targets: make skips a pattern rule whose prerequisite neither exists nor is a named target.
$(BUNDLER_LIB_OBJ) $(RUNTIME_LIB_OBJ) $(ENTRY_LIB_OBJ):

DEB_PACKAGES := build-essential pkg-config file git python3 libarchive-dev libjansson-dev libzstd-dev \
	liblzma-dev zlib1g-dev liblz4-dev liblzo2-dev libfuse3-dev fuse3 libsquashfuse-dev libcmocka-dev \
	nix-bin busybox-static patchelf squashfs-tools squashfs-tools-ng squashfuse bubblewrap \
	util-linux mount procps psmisc clang-format zstd hyperfine man-db zsync gnupg python3-yaml time \
	clang libclang-rt-14-dev

.PHONY: all demo test unit integration bench fuzz fuzz-ci soak install clean deps format format-check
.DELETE_ON_ERROR:

all: $(BUILD)/squashnix $(BUILD)/runtime $(BUILD)/AppRun $(TOOL_BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_DYN) $(BUNDLER_CFLAGS) $(RUNTIME_CFLAGS) $(ENTRY_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/sobj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_STATIC) $(RUNTIME_CFLAGS) $(ENTRY_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/squashnix: $(call obj,$(BUNDLER_SRC))
	$(CC) $(CFLAGS_DYN) -o $@ $^ $(BUNDLER_LIBS)

# The runtime and the entry are static; strip the runtime so that the image offset is its file size.
$(BUILD)/runtime: $(call sobj,$(RUNTIME_SRC))
	$(CC) $(CFLAGS_STATIC) -static -o $@ $^ $(RUNTIME_STATIC_LIBS)
	$(STRIP) --strip-all $@
	# AppImage type 2 magic "AI\x02" in the ELF ident padding at offset 8.
	printf 'AI\002' | dd of=$@ bs=1 seek=8 conv=notrunc status=none

$(BUILD)/AppRun: $(call sobj,$(ENTRY_SRC))
	$(CC) $(CFLAGS_STATIC) -static -o $@ $^ $(ENTRY_STATIC_LIBS)
	$(STRIP) --strip-all $@

$(BUILD)/tests/test_runtime_%: tests/unit/test_runtime_%.c $(RUNTIME_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_DYN) $(RUNTIME_CFLAGS) -MMD -MP -o $@ $^ $(RUNTIME_DYN_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_entry_%: tests/unit/test_entry_%.c $(ENTRY_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_DYN) -MMD -MP -o $@ $^ $(ENTRY_DYN_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUNDLER_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_DYN) $(BUNDLER_CFLAGS) -MMD -MP -o $@ $^ $(BUNDLER_LIBS) $(CMOCKA_LIBS)

$(BUILD)/tools/%: tests/tools/%.c $(BUNDLER_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_DYN) $(BUNDLER_CFLAGS) -o $@ $^ $(BUNDLER_LIBS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Installs the Debian packages the build and the tests need, only when one is missing.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing missing Debian packages:" $$missing; \
		sudo=; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		$$sudo apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q --no-install-recommends $$missing; \
	fi

demo: deps
	$(MAKE) all
	SQUASHNIX_BUILD=$(CURDIR)/$(BUILD) bash tests/demo.sh

unit: $(UNIT_BIN)
	@status=0; for t in $(UNIT_BIN); do echo "== $$t"; $$t || status=1; done; exit $$status

integration: all
	SQUASHNIX_BUILD=$(CURDIR)/$(BUILD) bash tests/integration/run.sh

test: deps
	$(MAKE) all
	$(MAKE) unit
	$(MAKE) integration

bench: deps all
	SQUASHNIX_BUILD=$(CURDIR)/$(BUILD) bash tests/bench/run.sh

fuzz: deps
	bash tests/fuzz/run.sh

fuzz-ci: deps
	FUZZ_SECONDS=20 bash tests/fuzz/run.sh

# make test runs the soak with 50 sequential and 10 concurrent launches per mode.
soak: deps all
	SOAK_SEQ=500 SOAK_PAR=50 SQUASHNIX_BUILD=$(CURDIR)/$(BUILD) bash tests/integration/test_faults_soak.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BUILD)/squashnix $(DESTDIR)$(PREFIX)/bin/squashnix
	install -m 0755 $(BUILD)/runtime $(DESTDIR)$(LIBDIR)/runtime
	install -m 0755 $(BUILD)/AppRun $(DESTDIR)$(LIBDIR)/AppRun
	install -m 0644 docs/squashnix.1 $(DESTDIR)$(PREFIX)/share/man/man1/squashnix.1

clean:
	rm -rf build build-sanitize build-fuzz

FORMAT_SRC = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	clang-format --dry-run --Werror $(FORMAT_SRC)
