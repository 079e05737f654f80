# Registar — `make run` opens the app, `make test` runs every check.
# Both install what is missing on a Debian/Ubuntu machine.

GO       ?= go
TAGS     := migrated_fynedo
GOFLAGS_ := -tags $(TAGS)
DB       ?=

# The X11/GL headers Fyne's cgo build needs on Linux.
GUI_PKGS  := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
             libxinerama-dev libxi-dev libxxf86vm-dev
# What the tests read PDFs back with, and the third-party tools that fill a
# Registar PDF form as a person's PDF program would (pdftk, pypdf).
TEST_PKGS := poppler-utils pdftk-java python3-pypdf
# What make dist needs besides GUI_PKGS: the MinGW-w64 cross compiler for the
# Windows GUI (cgo), xz and zip for the archives, file to check the .exe.
DIST_PKGS := gcc-mingw-w64-x86-64 xz-utils zip file
# The Windows cross-build: Debian's MinGW links fyne's -fstack-protector
# code only with libssp, taken statically so the .exe needs no libssp-0.dll.
WIN_ENV   := CC=x86_64-w64-mingw32-gcc CGO_LDFLAGS="-l:libssp.a" GOOS=windows GOARCH=amd64 CGO_ENABLED=1

.PHONY: help install-cli uninstall-cli crashtest run test sysdeps test-sysdeps deps odk-engine build cli fmt-check vet lint nofyne unit e2e bench bench-scale fuzz clean \
        dist dist-windows dist-linux dist-sysdeps ci-windows

run: sysdeps deps
	$(GO) run $(GOFLAGS_) . $(if $(DB),--db $(DB))

sysdeps:
	@./scripts/sysdeps.sh $(GUI_PKGS)

test-sysdeps:
	@./scripts/sysdeps.sh $(GUI_PKGS) $(TEST_PKGS)

deps:
	@$(GO) mod download

build: sysdeps deps
	$(GO) build $(GOFLAGS_) -o bin/registar .

cli:
	CGO_ENABLED=0 $(GO) build -o bin/registar-cli ./cmd/registar-cli

# `make help` is the list of what a person runs; the rest are steps of these.
help:
	@echo "make run           open the app (installs what is missing on Debian/Ubuntu); DB=DIR opens another registry"
	@echo "make build         build the app into bin/registar"
	@echo "make cli           build the command line into bin/registar-cli (no C compiler needed)"
	@echo "make install-cli   build it and put it on your PATH as registar-cli, in $(BINDIR)"
	@echo "make uninstall-cli remove it from $(BINDIR)"
	@echo "make test          every check: gofmt, vet, staticcheck, no Fyne in data/ and reports/, all tests"
	@echo "make crashtest     kill the command line at random points of long steps (not in make test)"
	@echo "make bench         the benchmarks (docs/benchmarks.md)"
	@echo "make bench-scale   registries of 100,000 to 1,000,000 persons, every operation timed (~1 h, not in CI)"
	@echo "make fuzz          every fuzz target for FUZZTIME seconds (default 30)"
	@echo "make dist          the Windows zip and the Linux tar.xz in dist/ (docs/packaging.md)"
	@echo "make clean         remove bin/ and dist/"

# The command line on your PATH, so that the README's examples run as
# written: ~/.local/bin, or BINDIR=DIR.
BINDIR ?= $(HOME)/.local/bin
install-cli: cli
	install -d "$(BINDIR)"
	install -m 0755 bin/registar-cli "$(BINDIR)/registar-cli"
	@case ":$$PATH:" in *":$(BINDIR):"*) ;; \
	  *) echo "install-cli: $(BINDIR) is not on your PATH; add it, e.g. in ~/.profile:"; \
	     echo "  export PATH=\"$(BINDIR):\$$PATH\"";; esac

uninstall-cli:
	rm -f "$(BINDIR)/registar-cli"

# SIGKILLs the command line at random points of an import, a merge, a
# restore and a sync round (docs/reliability.md); minutes, so not in make test.
crashtest:
	REGISTAR_CRASHTEST=1 $(GO) test -count=1 -timeout 30m -run Crash ./cmd/registar-cli/

test: test-sysdeps deps odk-engine fmt-check vet lint nofyne unit
	@echo "make test: all checks passed"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(GOFLAGS_) ./...

# staticcheck finds what vet does not (dead code, misused APIs); pinned to a
# version the module proxy here serves.
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
lint:
	$(GO) run $(STATICCHECK) $(GOFLAGS_) ./...

# data/ and reports/ must build without cgo and must not pull in Fyne.
nofyne:
	@if $(GO) list -deps ./data/... ./reports/... | grep -q '^fyne.io/'; then \
	  echo "data/ or reports/ imports Fyne"; exit 1; fi
	CGO_ENABLED=0 $(GO) test -count=1 -run '^$$' ./data/... ./reports/... ./cmd/...

# Unit, headless GUI and CLI end-to-end tests (cmd/registar-cli builds the
# CLI and runs it against temporary stores).
unit:
	$(GO) test $(GOFLAGS_) -race -count=1 ./...

# ODK's own form engine (@getodk/xforms-engine, from npm) that data/odk's
# tests load the phone forms in; without Node.js those tests skip, saying so.
# npm ci runs again only when package-lock.json changes.
ODK_ENGINE := scripts/odk-engine/node_modules/.package-lock.json
odk-engine: $(ODK_ENGINE)
$(ODK_ENGINE): scripts/odk-engine/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  cd scripts/odk-engine && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.package-lock.json; \
	else echo "odk-engine: npm not found: the ODK engine tests will be skipped"; fi

bench:
	$(GO) test $(GOFLAGS_) -run '^$$' -bench . -benchtime 3x ./data/... ./reports/...

# Issue 18: demo registries of 100,000, 500,000 and 1,000,000 persons in
# SCALE (default /tmp/scale, ~5 GB) and each operation's time and peak RSS
# (scripts/bench-scale.sh; SIZES="100k 500k 1m", OPS="demo import …").
bench-scale:
	./scripts/bench-scale.sh $(OPS)

# Every fuzz target for FUZZTIME seconds (default 30); see scripts/fuzz.sh.
fuzz: test-sysdeps deps
	./scripts/fuzz.sh

# Installable archives in dist/ (see docs/packaging.md): the Windows zip
# (Registar.exe, registar-cli.exe) and the Linux tar.xz, same version in both.
dist: dist-sysdeps deps
	./scripts/dist.sh all

dist-windows: dist-sysdeps deps
	./scripts/dist.sh windows

dist-linux: dist-sysdeps deps
	./scripts/dist.sh linux

dist-sysdeps:
	@./scripts/sysdeps.sh $(GUI_PKGS) $(DIST_PKGS)

# CI's Windows smoke test: the GUI cross-compiled with cgo (catches a cgo or
# build-tag break on Windows) and the CLI, both checked with `file`, then
# thrown away. No packaging: that is make dist. Cost: docs/packaging.md.
# CI_WIN_CFLAGS halves the cold build: go-gl's cgo preamble includes
# <windows.h> only to get APIENTRY, and cgo's type probe of its ~2,800
# functions then makes MinGW's gcc search windows.h's names for a "did you
# mean" hint at every one of thousands of expected errors (cgo run of
# go-gl/gl: 317 s -> 148 s on 2 cores). The two macros are defined exactly as
# <minwindef.h> defines them, so every file that does include windows.h sees
# no change; only go-gl's preamble skips it.
CI_WIN_CFLAGS := -O2 -g -DWINAPI=__stdcall -DAPIENTRY=WINAPI
ci-windows: dist-sysdeps deps
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(WIN_ENV) CGO_CFLAGS="$(CI_WIN_CFLAGS)" $(GO) build $(GOFLAGS_) -ldflags -H=windowsgui -o $$tmp/Registar.exe . && \
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -o $$tmp/registar-cli.exe ./cmd/registar-cli && \
	file -b $$tmp/Registar.exe | grep -q 'PE32+ executable (GUI) x86-64' && \
	file -b $$tmp/registar-cli.exe | grep -q 'PE32+ executable (console) x86-64' && \
	if x86_64-w64-mingw32-objdump -p $$tmp/Registar.exe | grep -i 'DLL Name: lib'; then \
	  echo "Registar.exe needs a MinGW DLL"; exit 1; fi && \
	echo "ci-windows: Registar.exe (GUI) and registar-cli.exe (console) cross-build"

clean:
	rm -rf bin dist
