# Convenience targets; the scripts do the work so that they also run without make.
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/lookout

.PHONY: build release demo test install uninstall

build:
	swift build

release:
	swift build -c release --product lookout

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# The binary finds layouts and rules in $(PREFIX)/share/lookout, next to its own bin folder.
install: release
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/layouts $(DESTDIR)$(SHAREDIR)/rules
	install -m 0755 .build/release/lookout $(DESTDIR)$(BINDIR)/lookout
	install -m 0644 layouts/*.json $(DESTDIR)$(SHAREDIR)/layouts/
	install -m 0644 rules/*.yml $(DESTDIR)$(SHAREDIR)/rules/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lookout
	rm -rf $(DESTDIR)$(SHAREDIR)
