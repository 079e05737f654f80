# Registar — `make run` opens the app, `make test` runs every check.
# Both install what is missing on a Debian/Ubuntu machine.

GO       ?= go
TAGS     := migrated_fynedo
GOFLAGS_ := -tags $(TAGS)
DB       ?=

# The X11/GL headers Fyne's cgo build needs on Linux.
GUI_PKGS  := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
             libxinerama-dev libxi-dev libxxf86vm-dev
# What the tests read PDFs back with.
TEST_PKGS := poppler-utils

.PHONY: run test sysdeps test-sysdeps deps build cli fmt-check vet nofyne unit e2e bench clean

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

test: test-sysdeps deps fmt-check vet nofyne unit
	@echo "make test: all checks passed"

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(GOFLAGS_) ./...

# data/ and reports/ must build without cgo and must not pull in Fyne.
nofyne:
	@if $(GO) list -deps ./data/... ./reports/... | grep -q '^fyne.io/'; then \
	  echo "data/ or reports/ imports Fyne"; exit 1; fi
	CGO_ENABLED=0 $(GO) test -count=1 -run '^$$' ./data/... ./reports/... ./cmd/...

# Unit, headless GUI and CLI end-to-end tests (cmd/registar-cli builds the
# CLI and runs it against temporary stores).
unit:
	$(GO) test $(GOFLAGS_) -race -count=1 ./...

bench:
	$(GO) test $(GOFLAGS_) -run '^$$' -bench . -benchtime 3x ./data/... ./reports/...

clean:
	rm -rf bin dist
