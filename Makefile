# Leadmap — one Makefile for the C server, the web app, the stack and the tests.
#
#   make run  [PORT=8080] [VAR=var] [DETACH=1]   install, build, start everything
#   make stop [VAR=var]                          stop a detached stack
#   make test                                    every suite, one "N passed, N failed" line
#   make bench                                   wrk against a real stack (docs/performance.md)
#   make test-cluster                            3-node Galera, 2 pools, faults under load
#                                                (not part of make test; docs/operations.md)
#
# Knobs: SANITIZE=address,undefined  DEBUG=1  WORKERS=N

PORT     ?= 8080
VAR      ?= var
DETACH   ?=
WORKERS  ?=
export PORT VAR DETACH WORKERS

PKGS     := fcgi libmariadb jansson libjwt libsodium libcurl libical
CC       ?= cc
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -fno-common -Werror
CFLAGS_BASE := -std=c11 -D_GNU_SOURCE -fstack-protector-strong $(WARN) \
            -Ifcgi/src -MMD -MP
ifeq ($(DEBUG),1)
  OPT := -O0 -g3
else
  OPT := -O2 -g
endif
LDFLAGS_BASE := -Wl,-z,now -Wl,-z,relro
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo dev)

BUILD    := build/$(if $(SANITIZE),san,rel)
ifneq ($(SANITIZE),)
  OPT += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  LDFLAGS_BASE += -fsanitize=$(SANITIZE)
endif

SRCS     := $(shell find fcgi/src -name '*.c' | sort)
LIB_SRCS := $(filter-out fcgi/src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/fcgi/src/main.o
TEST_SRCS := $(shell find tests/unit -name 'test_*.c' 2>/dev/null | sort)
TEST_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRCS))

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

.PHONY: all deps build webapp test-deps run stop test unit check-asan fuzz-csv bench test-cluster clean

all: build

deps:
	@scripts/deps.sh

build: bin/leadmap

bin/leadmap: $(MAIN_OBJ) $(LIB_OBJS)
	@mkdir -p bin
	@echo "  LD  $@"
	@$(CC) $(OPT) $(LDFLAGS_BASE) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) -c -o $@ $<

# The version lives in one object, rebuilt whenever git describe changes.
$(BUILD)/version.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@

$(BUILD)/fcgi/src/core/version.o: fcgi/src/core/version.c $(BUILD)/version.stamp
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) -DLM_VERSION='"$(VERSION)"' -c -o $@ $<

.PHONY: FORCE
FORCE:

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS_BASE) $(OPT) $(PKG_CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJS) \
	  $(LDFLAGS_BASE) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

# C unit tests; TAP lines on stdout, exit status = failures.
unit: $(TEST_BINS)
	@scripts/run-unit.sh $(TEST_BINS)

# libFuzzer on the CSV reader (needs clang): the regression corpus is replayed,
# then FUZZ_SECONDS of new inputs (kept in $(VAR)/fuzz-csv); a crash is written to
# tests/fuzz/regression/csv/, to be committed with its fix.
FUZZ_SECONDS ?= 60
fuzz-csv:
	@mkdir -p build/fuzz $(VAR)/fuzz-csv
	@clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Ifcgi/src \
	  -o build/fuzz/fuzz_csv tests/fuzz/fuzz_csv.c fcgi/src/domain/csv.c
	@build/fuzz/fuzz_csv -max_total_time=$(FUZZ_SECONDS) \
	  -artifact_prefix=tests/fuzz/regression/csv/ $(VAR)/fuzz-csv tests/fuzz/regression/csv

# The same unit tests under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan:
	@$(MAKE) --no-print-directory SANITIZE=address,undefined unit

webapp/node_modules/.stamp: webapp/package-lock.json
	cd webapp && npm ci --no-audit --no-fund
	@touch $@

webapp: webapp/node_modules/.stamp
	cd webapp && npm run build

tests/node_modules/.stamp: tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund
	@touch $@

test-deps: tests/node_modules/.stamp

run: deps
	@$(MAKE) --no-print-directory build webapp
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

test: deps
	@$(MAKE) --no-print-directory build webapp test-deps
	@scripts/test.sh

bench: deps
	@$(MAKE) --no-print-directory build webapp
	@scripts/bench.sh

test-cluster: deps
	@$(MAKE) --no-print-directory build
	@scripts/test-cluster.sh

clean:
	rm -rf build bin webapp/dist

-include $(shell find build -name '*.d' 2>/dev/null)
