# iamdb — see README.md. `make demo` and `make check` are the two commands.
VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
PKG_CONFIG ?= pkg-config

# Debian packages the build, the tests and the demo need.
DEB_BUILD = build-essential pkg-config libssl-dev libjansson-dev
DEB_TEST  = python3 valgrind
DEB_ALL   = $(DEB_BUILD) $(DEB_TEST)

SANITIZE ?=
ifeq ($(SANITIZE),1)
BUILD    = build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=all
OPT      = -O1
else
BUILD    = build/rel
SANFLAGS =
OPT      = -O2
endif

WARN      = -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
HARDEN    = -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2
CPPFLAGS += -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -DIAMDB_VERSION='"$(VERSION)"'
CFLAGS   ?= $(OPT) -g
CFLAGS   += -std=c11 $(WARN) $(HARDEN) $(SANFLAGS) -MMD -MP
LDFLAGS  += -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(SANFLAGS)

CRYPTO_CFLAGS = $(shell $(PKG_CONFIG) --cflags libcrypto 2>/dev/null)
CRYPTO_LIBS   = $(shell $(PKG_CONFIG) --libs libcrypto 2>/dev/null || echo -lcrypto)
JANSSON_CFLAGS = $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS   = $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)

LIB_SRC  = common/buf.c \
           sigv4/sigv4.c sigv4/dbtoken.c \
           providers/ini.c providers/awsconfig.c providers/chain.c \
           providers/provider_env.c providers/provider_profile.c \
           providers/region.c \
           formats/format_token.c
HELPER_SRC = helper/main.c helper/msg.c helper/target.c helper/cmd_token.c
UNIT_SRC = $(wildcard tests/unit/test_*.c)

LIB_OBJ    = $(LIB_SRC:%.c=$(BUILD)/%.o)
HELPER_OBJ = $(HELPER_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
PROG       = $(if $(filter 1,$(SANITIZE)),$(BUILD)/iamdb,iamdb)

.PHONY: all check deps demo bench install uninstall clean
all: $(PROG)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CRYPTO_CFLAGS) $(CFLAGS) -c -o $@ $<

$(PROG): $(HELPER_OBJ) $(LIB_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(CRYPTO_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CRYPTO_CFLAGS) $(JANSSON_CFLAGS) $(CFLAGS) -I. \
	    $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(JANSSON_LIBS) $(CRYPTO_LIBS)

check: $(PROG) $(UNIT_BIN)
	@IAMDB="$(abspath $(PROG))" UNIT_DIR="$(abspath $(BUILD)/tests)" \
	    SANITIZE="$(SANITIZE)" sh tests/run

deps:
	@missing=; for p in $(DEB_ALL); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	        grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	        --no-install-recommends $$missing; \
	fi

demo: deps
	@$(MAKE) --no-print-directory all
	@sh tests/demo

BENCH_BIN = $(BUILD)/bench/floor $(BUILD)/bench/signing \
            $(BUILD)/bench/timeit $(BUILD)/bench/rss
$(BUILD)/bench/floor: bench/floor.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(CRYPTO_LIBS)
$(BUILD)/bench/signing: bench/signing.c $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -I. $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(CRYPTO_LIBS)
$(BUILD)/bench/timeit: bench/timeit.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<
$(BUILD)/bench/rss: bench/rss.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<
bench: $(PROG) $(BENCH_BIN)
	@IAMDB="$(abspath $(PROG))" BENCH_DIR="$(abspath $(BUILD)/bench)" \
	    sh bench/run

install: iamdb
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 iamdb $(DESTDIR)$(PREFIX)/bin/iamdb
	install -m 0644 man/iamdb.1 $(DESTDIR)$(PREFIX)/share/man/man1/iamdb.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/iamdb $(DESTDIR)$(PREFIX)/share/man/man1/iamdb.1

clean:
	rm -rf build iamdb

-include $(shell find build -name '*.d' 2>/dev/null)
