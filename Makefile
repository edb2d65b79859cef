# oms: plain make.  `make` builds build/lib/libomscore.a and build/bin/oms-*;
# `make check` is the test command CI runs.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
LIBDIR  ?= $(PREFIX)/lib
INCDIR  ?= $(PREFIX)/include
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
PKGS     = sqlite3 yaml-0.1 jansson libcurl cairo expat libpq
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcurl, cairo and libpq are not linked: lib/http.c, lib/pdf.c and lib/pg.c
# load them when a run first needs them (a request, a PDF, a PostgreSQL
# server), so that every other run starts fast.
LINK_PKGS = $(filter-out libcurl cairo libpq,$(PKGS))
LDLIBS  = -Wl,--as-needed $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -ldl
# Unit tests may call the libraries themselves (cairo's debug reset).
TEST_LDLIBS = -Wl,--as-needed $(shell pkg-config --libs $(PKGS) 2>/dev/null) -ldl

B       = build
LIB_SRC = $(sort $(wildcard lib/*.c))
LIB_OBJ = $(LIB_SRC:lib/%.c=$(B)/obj/lib/%.o)
TOOLS   = $(patsubst cmd/%.c,%,$(sort $(wildcard cmd/oms-*.c)))
BINS    = $(TOOLS:%=$(B)/bin/%)
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
FUZZERS = $(patsubst tests/fuzz/%.c,$(B)/fuzzers/%,$(sort $(wildcard tests/fuzz/*.c)))
UNITS   = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
MANS    = $(sort $(wildcard man/*.[1-9]))
HEADERS = $(sort $(wildcard include/oms/*.h))

all: $(B)/.deps $(B)/lib/libomscore.a $(BINS)

# A missing library header means missing packages: install them when we can,
# or say exactly what to run.
$(B)/.deps: scripts/install-deps
	@for h in sqlite3.h yaml.h jansson.h curl/curl.h cairo/cairo.h expat.h libpq-fe.h; do \
	  printf '#include <%s>\n' $$h | $(CC) -E -x c $(shell pkg-config --cflags libpq 2>/dev/null) - >/dev/null 2>&1 || missing=1; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make: library headers are missing; running scripts/install-deps" >&2; \
	  scripts/install-deps || { echo "make: run 'sudo scripts/install-deps' and make again" >&2; exit 2; }; \
	fi
	@mkdir -p $(B) && touch $@

$(B)/obj/lib/%.o: lib/%.c $(HEADERS) $(wildcard lib/*.h) | $(B)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/lib/libomscore.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	@echo "  AR      $@"
	@$(AR) rcs $@ $(LIB_OBJ)

$(B)/bin/%: cmd/%.c $(B)/lib/libomscore.a $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/lib/libomscore.a $(LDFLAGS) $(LDLIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/tap.h $(B)/lib/libomscore.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ilib -o $@ $< $(B)/lib/libomscore.a $(LDFLAGS) $(TEST_LDLIBS)

$(B)/fuzzers/%: tests/fuzz/%.c tests/fuzz/harness.h $(B)/lib/libomscore.a $(HEADERS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	@$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Ilib -o $@ $< $(B)/lib/libomscore.a $(LDFLAGS) $(LDLIBS)

fuzzers: $(FUZZERS)

check: all $(UNITS)
	@command -v prove >/dev/null && command -v mandoc >/dev/null && command -v sqlite3 >/dev/null || \
	  scripts/install-deps || { echo "make: run 'sudo scripts/install-deps'" >&2; exit 2; }
	mandoc -Tlint -W warning $(MANS)
	OMS_BIN=$(CURDIR)/$(B)/bin OMS_UNIT=$(CURDIR)/$(B)/tests \
	  prove -j2 $(PROVE_FLAGS) $(UNITS) tests/t[0-9]*.sh

# The tests of the PostgreSQL driver, and the tools' tests that run on a
# server (tests/t*-pg*.sh, skipped by make check), against a throwaway server
# of their own (tests/pg-server: initdb and pg_ctl on a private socket,
# removed after).
check-pg: all $(UNITS)
	tests/pg-server run $(B)/pg -- env OMS_BIN=$(CURDIR)/$(B)/bin OMS_UNIT=$(CURDIR)/$(B)/tests \
	  prove $(PROVE_FLAGS) $(B)/tests/pg tests/t[0-9]*-pg*.sh

# The same tests on a build with AddressSanitizer and UBSan in its own tree.
check-asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MAKE) B=build/asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" check

# libFuzzer harnesses, built with clang and the sanitizers in their own tree,
# then each run for FUZZ_SECONDS (default 30) on its corpus.
fuzz:
	@command -v clang >/dev/null || { echo "make: fuzzing needs clang (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
	$(MAKE) B=build/fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" fuzzers
	scripts/fuzz build/fuzz/fuzzers

demo: all
	scripts/demo

bench: all
	scripts/bench

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/oms \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(B)/lib/libomscore.a $(DESTDIR)$(LIBDIR)
	install -m 644 $(HEADERS) $(DESTDIR)$(INCDIR)/oms
	for m in $(MANS); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done

clean:
	rm -rf $(B)

.PHONY: all check check-pg check-asan demo bench fuzz fuzzers install clean
.SECONDARY:
