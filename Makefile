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
#   make install             install modules into /lib/modules/$(KVER)/extra

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
TOP := $(CURDIR)
CONFIG_H := $(TOP)/include/generated/copyoff_config.h

.PHONY: all modules config tools install clean check demo version

all: modules

config:
	@$(TOP)/scripts/conftest.sh "$(KDIR)" "$(CONFIG_H)"
	@$(TOP)/scripts/btf-layout.sh "$(KDIR)" "$(TOP)/include/generated/copyoff_btf.h"

modules: config
	$(MAKE) -C "$(KDIR)" M="$(TOP)" modules

install: modules
	$(MAKE) -C "$(KDIR)" M="$(TOP)" INSTALL_MOD_DIR=extra modules_install

tools:
	$(MAKE) -C tools

version:
	@sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf

check:
	@$(TOP)/scripts/check.sh

demo:
	@$(TOP)/scripts/demo.sh

clean:
	@if [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(TOP)" clean; fi
	rm -rf include/generated .conftest
	$(MAKE) -C tools clean
