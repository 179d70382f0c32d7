# imsbed: one binary, one libre event loop, a whole IMS core on loopback.
#
# Targets: all run test bench bench-peers deps format clean.  SANITIZE=1
# builds with AddressSanitizer + UBSan into build/asan so both builds can
# coexist.

PKGS     := libre libsrtp2 sqlite3 yaml-0.1 libcrypto libpcap libxml-2.0
DEBS     := libre-dev libsrtp2-dev libsqlite3-dev libyaml-dev libcunit1-dev \
	    libssl-dev libpcap-dev libxml2-dev libfreediameter-dev \
	    pkg-config gcc make
# What make test itself runs: ip brings loopback up in the private
# network namespace the tests use, unshare (util-linux) makes it.
TEST_DEBS:= iproute2 util-linux
CC       ?= cc
CFLAGS   ?= -O2 -g
# libre's headers want the HAVE_ flags its own build used (re.mk); struct sa
# has the IPv6 member only with HAVE_INET6, so it must match the library.
RE_DEFS  := -DHAVE_INTTYPES_H -DHAVE_STDBOOL_H -DHAVE_INET6
CFLAGS   += -std=c11 -D_GNU_SOURCE $(RE_DEFS) -Wall -Wextra -Werror \
	    -Wno-unused-parameter -Wmissing-prototypes -Wshadow \
	    -Wstrict-prototypes -Iinclude -MMD -MP
# freeDiameter's message library (libfdproto) builds and parses Diameter
# on a dictionary; the base protocol's table is libfdcore's.
LDLIBS   += -lfdproto -lfdcore -ldl

ifeq ($(FUZZ),1)
# make fuzz: clang's libFuzzer with ASan and UBSan, a build of its own.
CC       := clang
BUILD    := build/fuzz
CFLAGS   += -fsanitize=fuzzer-no-link,address,undefined \
	    -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=fuzzer,address,undefined
BIN      := $(BUILD)/imsbed
else ifeq ($(SANITIZE),1)
BUILD    := build/asan
# float-cast-overflow is not in 'undefined': a duration of 1e308 seconds
# turned into milliseconds is exactly that.
CFLAGS   += -fsanitize=address,undefined,float-cast-overflow \
	    -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined,float-cast-overflow
BIN      := $(BUILD)/imsbed
else
BUILD    := build/rel
BIN      := imsbed
endif

# pkg-config is only asked once the packages are there; 'deps' installs them.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

LIB_SRCS := $(sort $(wildcard emul/*/*.c cscf/*.c hss/*.c as/*.c as/*/*.c \
	    ue/*.c))
MAIN_SRC := emul/cli/main.c
CORE_SRCS:= $(filter-out $(MAIN_SRC),$(LIB_SRCS))
TEST_SRCS:= $(sort $(wildcard tests/*.c))

CORE_OBJS:= $(CORE_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(MAIN_SRC:%.c=$(BUILD)/%.o)
TEST_OBJS:= $(TEST_SRCS:%.c=$(BUILD)/%.o)
TEST_BIN := $(BUILD)/run_tests

# Fuzz targets (tests/fuzz/fuzz_NAME.c): fuzz_NAME under libFuzzer, and
# replay_NAME, the same with replay.c as main() for make test.
FUZZ_TARGETS := sip http yaml body xml
FUZZ_COMMON  := $(BUILD)/tests/fuzz/fuzz_net.o
REPLAY_BINS  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_DEBS    := clang libclang-rt-14-dev
FUZZ_OBJS    := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/fuzz/*.c))

.PHONY: all run test unit scenarios bench bench-peers deps format clean \
	check-deps check-test-deps fuzz fuzz-build floors

all: check-deps floors $(BIN)

# A folder that includes a header of a floor above its own fails the build
# (tools/floorcheck.sh says which); the floors are in the README.
# The layout's rules, at every build: no folder includes a header of a
# floor above its own; no file over 600 lines, no function over 80.
floors:
	@tools/floorcheck.sh
	@tools/sizecheck.sh

check-deps:
	@tools/deps.sh check || $(MAKE) --no-print-directory deps

check-test-deps:
	@command -v ip >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 \
		|| tools/deps.sh install $(TEST_DEBS)

deps:
	@tools/deps.sh install $(DEBS) $(TEST_DEBS)

# Order-only on check-deps, so that 'make -j' installs before it compiles.
$(BUILD)/%.o: %.c | check-deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BIN): $(CORE_OBJS) $(MAIN_OBJ)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(TEST_BIN): $(CORE_OBJS) $(TEST_OBJS)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcunit $(LDLIBS)

$(BUILD)/fuzz/replay_%: $(CORE_OBJS) $(FUZZ_COMMON) \
		$(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(BUILD)/fuzz/fuzz_%: $(CORE_OBJS) $(FUZZ_COMMON) $(BUILD)/tests/fuzz/fuzz_%.o
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

# make fuzz [FUZZ_SECONDS=N]: each target for N seconds (60), seeded from
# tests/fuzz/corpus, the scenarios' traces and RFC 4475 where it lies.
fuzz: check-deps $(BIN)
	@command -v clang >/dev/null 2>&1 || tools/deps.sh install $(FUZZ_DEBS)
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-build
	@tools/fuzz.sh $(BIN) build/fuzz $(FUZZ_SECONDS)

fuzz-build: $(FUZZ_BINS)

# The fuzz targets' objects are no intermediate files to be removed.
.SECONDARY: $(FUZZ_OBJS)

run: all
	./$(BIN) run scenarios/sysinfo.yaml scenarios/click-to-dial.yaml

# Unit suites first, then every scenario over the wire; tools/test.sh adds
# the counts up into the one closing line 'N passed, N failed'.
test: check-deps check-test-deps floors $(BIN) $(TEST_BIN) $(REPLAY_BINS)
	@tools/test.sh $(BIN) $(TEST_BIN)

# make bench: the internal registration bench over UDP and TCP, then SIPp
# through imsbed serve at fixed rates (when SIPp is there); bench-peers
# installs SIPp and Kamailio when missing and adds Kamailio's registrar
# under the same load, with the ratios (docs/BENCHMARKS.md).
BENCH_DEBS := sip-tester kamailio

bench: all check-test-deps
	@tools/bench.sh $(BIN)

bench-peers: all check-test-deps
	@tools/deps.sh install $(BENCH_DEBS)
	@tools/bench-peers.sh $(BIN)

format:
	@tools/stylecheck.sh

clean:
	rm -rf build imsbed

-include $(CORE_OBJS:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJS:.o=.d) \
	$(FUZZ_OBJS:.o=.d)
