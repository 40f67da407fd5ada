# iamdb — see README.md. `make demo` and `make check` are the two commands.
VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
PKG_CONFIG ?= pkg-config

# Debian packages the build, the tests and the demo need. MariaDB's PAM
# plugin (auth_pam) comes with mariadb-server, pam_exec with libpam-modules.
DEB_BUILD = build-essential pkg-config libssl-dev libjansson-dev libexpat1-dev \
            libcurl4-openssl-dev libpq-dev libmariadb-dev libmicrohttpd-dev
DEB_TEST  = python3 openssl postgresql mariadb-server mariadb-client \
            python3-psycopg2 libpam-modules pgbouncer redis-server redis-tools \
            default-jdk-headless libmariadb-java libpostgresql-jdbc-java \
            python3-boto3 python3-pymysql zsh fish mandoc awscli clang
# COMMAND:PACKAGE, the package only where no COMMAND is installed: the
# Google Cloud SDK's kubectl package owns /usr/bin/kubectl too, and the two
# cannot be installed together.
DEB_CMD   = kubectl:kubernetes-client
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

# What iamdb is built with whatever CFLAGS, CPPFLAGS and LDFLAGS the caller
# passes (those come after ours, so they may add to them or tune them).
WARN      = -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2
HARDEN    = -fstack-protector-strong -fPIE -D_FORTIFY_SOURCE=2
OWN_CPPFLAGS = -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 \
               -DIAMDB_VERSION='"$(VERSION)"'
OWN_CFLAGS   = -std=c11 $(OPT) -g $(WARN) $(HARDEN) $(SANFLAGS) -MMD -MP
OWN_LDFLAGS  = -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(SANFLAGS)
ALL_CFLAGS   = $(OWN_CPPFLAGS) $(CPPFLAGS) $(DEP_CFLAGS) $(OWN_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  = $(OWN_LDFLAGS) $(LDFLAGS)

# libcurl: headers only. It is loaded with dlopen on first network use, so
# the token path never pays for loading it (see providers/http.c).
DEP_PKGS  = libcrypto jansson expat
DEP_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(DEP_PKGS) libcurl 2>/dev/null)
DEP_LIBS   = $(shell $(PKG_CONFIG) --libs $(DEP_PKGS) 2>/dev/null || \
               echo -lcrypto -ljansson -lexpat) -ldl

LIB_SRC  = common/buf.c common/fileio.c common/jsonout.c common/pct.c \
           common/secret_file.c common/timeutil.c common/vis.c \
           sigv4/sigv4.c sigv4/service.c sigv4/dbtoken.c sigv4/dbtoken_parse.c \
           sigv4/dbtoken_verify.c sigv4/sigv4_verify.c \
           providers/ini.c providers/awsconfig.c providers/region.c \
           providers/chain.c providers/cached.c providers/cache.c \
           providers/credjson.c providers/settings.c \
           providers/http.c providers/awsapi.c providers/endpoint.c \
           providers/sts.c \
           providers/redshift.c \
           providers/provider_env.c providers/provider_profile.c \
           providers/provider_assume_role.c providers/provider_web_identity.c \
           providers/provider_sso.c providers/provider_process.c \
           providers/provider_container.c providers/provider_imds.c \
           providers/ca.c providers/ca_system.c providers/dbprobe.c providers/awsdiag.c \
           formats/output.c formats/url.c formats/pgparams.c \
           formats/format_env.c \
           formats/format_json.c formats/format_uri.c formats/format_pgpass.c \
           formats/format_mycnf.c formats/format_pgbouncer.c formats/template.c \
           formats/format_secret.c
HELPER_SRC = helper/main.c helper/mfa.c helper/msg.c helper/opt.c helper/options.c \
             helper/help.c helper/completion.c helper/input.c \
             helper/target.c helper/conn.c helper/watch.c helper/process.c \
             helper/cmd_token.c helper/cmd_credentials.c helper/cmd_json.c \
             helper/cmd_env.c helper/cmd_exec.c helper/exec_files.c \
             helper/cmd_uri.c \
             helper/cmd_pgpass.c helper/cmd_mycnf.c helper/cmd_ca.c \
             helper/cmd_inspect.c helper/cmd_verify.c \
             helper/cmd_setup.c helper/cmd_doctor.c helper/cmd_eks.c \
             helper/cmd_pgbouncer.c helper/cmd_summon.c helper/cmd_render.c \
             helper/cmd_serve.c helper/httpd.c
UNIT_SRC = $(wildcard tests/unit/test_*.c)

LIB_OBJ    = $(LIB_SRC:%.c=$(BUILD)/%.o)
HELPER_OBJ = $(HELPER_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
PROG       = $(if $(filter 1,$(SANITIZE)),$(BUILD)/iamdb,iamdb)

.PHONY: all check fuzz deps demo bench install install-summon uninstall clean
all: $(PROG)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(PROG): $(HELPER_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) tests/tap.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I. $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJ) $(DEP_LIBS)

# iamdb's .pgpass matcher is checked against libpq itself.
PQ_CFLAGS = $(shell $(PKG_CONFIG) --cflags libpq 2>/dev/null || \
              echo -I/usr/include/postgresql)
PQ_LIBS   = $(shell $(PKG_CONFIG) --libs libpq 2>/dev/null || echo -lpq)
$(BUILD)/tests/test_pgpass_libpq: tests/unit/test_pgpass_libpq.c $(LIB_OBJ) \
    tests/tap.h tests/libpq_pass.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PQ_CFLAGS) -I. $(ALL_LDFLAGS) -o $@ $< \
	    $(LIB_OBJ) $(DEP_LIBS) $(PQ_LIBS)

check: $(PROG) $(UNIT_BIN)
	@IAMDB="$(abspath $(PROG))" UNIT_DIR="$(abspath $(BUILD)/tests)" \
	    SANITIZE="$(SANITIZE)" sh tests/run $(TESTS)

# make fuzz: a libFuzzer harness (tests/fuzz/fuzz_NAME.c) for every parser
# of untrusted input, built with clang under ASan and UBSan, each run for
# FUZZ_SECONDS from its seeds (tests/fuzz/corpus/NAME); a crash, a leak or
# a broken invariant fails. See tests/fuzz/run.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD    = build/fuzz
FUZZ_CFLAGS   = $(OWN_CPPFLAGS) $(DEP_CFLAGS) -std=c11 -O1 -g $(WARN) \
                -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=all -fno-omit-frame-pointer -MMD -MP
FUZZ_LDFLAGS  = -fsanitize=fuzzer,address,undefined
FUZZ_SRC      = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN      = $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ  = $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I. $(FUZZ_LDFLAGS) -o $@ $< \
	    $(FUZZ_LIB_OBJ) $(DEP_LIBS)

$(FUZZ_BUILD)/fuzz_pgpass_libpq: tests/fuzz/fuzz_pgpass_libpq.c \
    $(FUZZ_LIB_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(PQ_CFLAGS) -I. $(FUZZ_LDFLAGS) -o $@ $< \
	    $(FUZZ_LIB_OBJ) $(DEP_LIBS) $(PQ_LIBS)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_BIN)

deps:
	@missing=; for p in $(DEB_ALL); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
	        grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	for cp in $(DEB_CMD); do \
	    command -v $${cp%%:*} >/dev/null 2>&1 || missing="$$missing $${cp#*:}"; \
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
            $(BUILD)/bench/timeit $(BUILD)/bench/rss $(BUILD)/bench/httpbench
$(BUILD)/bench/floor: bench/floor.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< -lcrypto
$(BUILD)/bench/signing: bench/signing.c $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I. $(ALL_LDFLAGS) -o $@ $< $(LIB_OBJ) $(DEP_LIBS)
$(BUILD)/bench/timeit: bench/timeit.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<
$(BUILD)/bench/rss: bench/rss.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $<
$(BUILD)/bench/httpbench: bench/httpbench.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -D_GNU_SOURCE $(ALL_LDFLAGS) -o $@ $< -lmicrohttpd
bench: $(PROG) $(BENCH_BIN)
	@IAMDB="$(abspath $(PROG))" BENCH_DIR="$(abspath $(BUILD)/bench)" \
	    sh bench/run

# Completion scripts are made by the iamdb just built, from its own
# option tables.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
# summon looks for providers here whatever its own prefix.
SUMMONDIR   ?= /usr/local/lib/summon
install: iamdb install-summon
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 iamdb $(DESTDIR)$(PREFIX)/bin/iamdb
	install -m 0644 man/iamdb.1 $(DESTDIR)$(PREFIX)/share/man/man1/iamdb.1
	./iamdb completion bash >$(DESTDIR)$(BASHCOMPDIR)/iamdb
	./iamdb completion zsh >$(DESTDIR)$(ZSHCOMPDIR)/_iamdb
	./iamdb completion fish >$(DESTDIR)$(FISHCOMPDIR)/iamdb.fish

# summon runs a provider as PATH [ID]: a script that is iamdb summon.
install-summon:
	install -d $(DESTDIR)$(SUMMONDIR)
	printf '#!/bin/sh\n# summon provider: iamdb summon, see iamdb(1)\nexec %s summon -- "$$@"\n' \
	    "'$(PREFIX)/bin/iamdb'" >$(DESTDIR)$(SUMMONDIR)/iamdb.tmp
	chmod 0755 $(DESTDIR)$(SUMMONDIR)/iamdb.tmp
	mv $(DESTDIR)$(SUMMONDIR)/iamdb.tmp $(DESTDIR)$(SUMMONDIR)/iamdb

uninstall:
	rm -f $(DESTDIR)$(SUMMONDIR)/iamdb
	rm -f $(DESTDIR)$(PREFIX)/bin/iamdb \
	    $(DESTDIR)$(PREFIX)/share/man/man1/iamdb.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/iamdb $(DESTDIR)$(ZSHCOMPDIR)/_iamdb \
	    $(DESTDIR)$(FISHCOMPDIR)/iamdb.fish

clean:
	rm -rf build iamdb

-include $(shell find build -name '*.d' 2>/dev/null)
