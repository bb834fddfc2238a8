# SPDX-License-Identifier: GPL-2.0
#
# copyoff top-level Makefile.
#
#   make                     modules for the running kernel
#   make KVER=<release>      modules for another installed kernel
#   make KDIR=<build dir>    modules against a kernel build tree
#   make W=1 / make C=2      extra warnings / sparse, passed to Kbuild
#   make tools               the copyoff command-line tool (tools/)
#   make check               everything: host set-up, both kernels, VM tests
#   make demo                boot the VM with the modules loaded and show them
#   make stress              long fuzzing, load and fault runs (not in check)
#   make bench               the performance matrix in a VM (not in check)
#   make install             modules, tool, header, man pages, udev rule and
#                            module configuration (install-modules + install-utils)
#   make uninstall           removes exactly what make install installed
#
# Installation honours DESTDIR (staging root; modules go to
# $(DESTDIR)/lib/modules/$(KVER)/extra) and PREFIX (default /usr/local):
#   $(PREFIX)/sbin/copyoff, $(PREFIX)/include/linux/copyoff.h,
#   $(PREFIX)/share/man/man{4,8}, $(PREFIX)/lib/udev/rules.d/60-copyoff.rules,
#   $(SYSCONFDIR)/modprobe.d/copyoff.conf and
#   $(SYSCONFDIR)/modules-load.d/copyoff.conf (SYSCONFDIR default /etc).
# Modules are signed with DKMS's MOK key (MOK_KEY, MOK_CERT) when it exists,
# SIGN=0 skips that; see README, "Secure Boot".

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
TOP := $(CURDIR)
CONFIG_H := $(TOP)/include/generated/copyoff_config.h
MODULES := copyoff_core copyoff_cfr copyoff_nvme copyoff_dm copyoff_kcopyd copyoff_dmstock copyoff_nvmet

DESTDIR ?=
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
MOK_KEY ?= /var/lib/dkms/mok.key
MOK_CERT ?= /var/lib/dkms/mok.pub
SIGN ?= 1
INSTALL ?= install

# What install-utils puts where: source -> destination (below DESTDIR), mode.
UTIL_FILES := \
	tools/copyoff/copyoff:$(SBINDIR)/copyoff:755 \
	include/uapi/linux/copyoff.h:$(INCLUDEDIR)/linux/copyoff.h:644 \
	man/copyoff.8:$(MANDIR)/man8/copyoff.8:644 \
	man/copyoff.4:$(MANDIR)/man4/copyoff.4:644 \
	scripts/udev/60-copyoff.rules:$(UDEVRULESDIR)/60-copyoff.rules:644 \
	scripts/modprobe.d/copyoff.conf:$(SYSCONFDIR)/modprobe.d/copyoff.conf:644 \
	scripts/modules-load.d/copyoff.conf:$(SYSCONFDIR)/modules-load.d/copyoff.conf:644

.PHONY: all modules config tools install install-modules install-utils \
	uninstall uninstall-modules uninstall-utils clean check demo version stress bench

all: modules

config:
	@$(TOP)/scripts/conftest.sh "$(KDIR)" "$(CONFIG_H)"
	@$(TOP)/scripts/btf-layout.sh "$(KDIR)" "$(TOP)/include/generated/copyoff_btf.h"

modules: config
	$(MAKE) -C "$(KDIR)" M="$(TOP)" modules

tools:
	$(MAKE) -C tools

install: install-modules install-utils

install-modules: modules
	@KDIR="$(KDIR)" KVER="$(KVER)" DESTDIR="$(DESTDIR)" SIGN="$(SIGN)" \
		MOK_KEY="$(MOK_KEY)" MOK_CERT="$(MOK_CERT)" MAKE="$(MAKE)" \
		$(TOP)/scripts/install-modules.sh "$(TOP)"

uninstall-modules:
	rm -f $(foreach m,$(MODULES),"$(DESTDIR)/lib/modules/$(KVER)/extra/"*/"$(m).ko"*)
	-rmdir $(foreach m,$(MODULES),"$(DESTDIR)/lib/modules/$(KVER)/extra/$(m)") 2> /dev/null
	@if [ -z "$(DESTDIR)" ] && [ -d "/lib/modules/$(KVER)" ]; then \
		echo "depmod -a $(KVER)"; depmod -a "$(KVER)"; fi

install-utils: tools
	@for f in $(UTIL_FILES); do \
		src=$${f%%:*}; rest=$${f#*:}; dst=$${rest%:*}; mode=$${rest##*:}; \
		echo "INSTALL $(DESTDIR)$$dst"; \
		$(INSTALL) -D -m "$$mode" "$$src" "$(DESTDIR)$$dst" || exit 1; \
	done

uninstall-utils:
	@for f in $(UTIL_FILES); do \
		rest=$${f#*:}; dst=$${rest%:*}; \
		echo "rm -f $(DESTDIR)$$dst"; rm -f "$(DESTDIR)$$dst"; \
	done

uninstall: uninstall-modules uninstall-utils

version:
	@sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf

check:
	@$(TOP)/scripts/check.sh

demo:
	@$(TOP)/scripts/demo.sh

stress:
	@$(TOP)/scripts/stress.sh

.PHONY: check-debug
check-debug:
	@$(TOP)/scripts/check-debug.sh

bench:
	@$(TOP)/scripts/bench.sh

# tools/ is not part of the DKMS source tree (/usr/src/copyoff-<version>).
clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(TOP)" clean; fi
	rm -rf include/generated .conftest
	if [ -d tools ]; then $(MAKE) -C tools clean; fi
