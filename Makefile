# Convenience targets; the scripts do the work so that they also run without make.
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
SHAREDIR = $(PREFIX)/share/lookout

.PHONY: build release demo test bench install uninstall deb

build:
	swift build

release:
	swift build -c release --product lookout

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# Every benchmark: in-process (with regression thresholds) and whole-process; see docs/performance.md.
bench:
	scripts/bench.sh

# The binary finds layouts and rules in $(PREFIX)/share/lookout, next to its own bin folder.
# Also the man page (generate-manual plugin) and bash/zsh/fish completions: scripts/stage.sh.
install:
	scripts/stage.sh "$(DESTDIR)" "$(PREFIX)"

# A .deb (dpkg-deb) of a release build with the Swift runtime linked in; prints its path.
deb:
	scripts/deb.sh

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/lookout $(DESTDIR)$(PREFIX)/share/man/man1/lookout.1.gz
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/lookout
	rm -f $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_lookout
	rm -f $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/lookout.fish
	rm -rf $(DESTDIR)$(SHAREDIR)
