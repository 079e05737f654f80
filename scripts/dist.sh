#!/usr/bin/env bash
# scripts/dist.sh [all|windows|linux]   (make dist, make dist-windows, make dist-linux)
#
# Builds the archives the offices install from, on a Linux machine:
#   dist/registar-<version>-windows-amd64.zip
#       Registar.exe       GUI (no console), cgo cross-build with MinGW-w64,
#                          icon (16…256 px) and version resource
#       registar-cli.exe   console, CGO_ENABLED=0, version resource
#       README.md, START-HERE.txt, OFL.txt, THIRD_PARTY_LICENSES.txt, LICENSE (if any)
#   dist/registar-<version>-linux-amd64.tar.xz
#       fyne package's layout (usr/local/bin/registar, the .desktop file, the
#       icon, a Makefile for `make user-install` / `sudo make install`) plus a
#       static usr/local/bin/registar-cli, hicolor icons and the same texts.
#
# The version (scripts/dist-version.sh) goes into both archives' names, the
# About dialog (-X registar/app.Version) and `registar-cli version`
# (-X main.version); this script checks all of them before it finishes.
#
# It builds in a copy of the source (dist/.work/src): `fyne` writes
# temporary files into the source folder and bumps FyneApp.toml's Build,
# and none of that should touch the working tree. System packages
# (gcc-mingw-w64-x86-64, xz-utils, zip, file) come from `make dist-sysdeps`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-all}
case $what in all | windows | linux) ;; *) echo "usage: $0 [all|windows|linux]" >&2; exit 2 ;; esac

GO=${GO:-go}
NICE=${NICE:-nice -n 10}
MINGW_CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}
version=$(scripts/dist-version.sh)
numeric=$(scripts/dist-version.sh --numeric)
build=$(scripts/dist-version.sh --build)
work=$root/dist/.work
stage=$work/src
tools=$work/tools

log() { printf '[dist %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'dist: %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$((SECONDS - $1)) s"; }

log "version $version (resources $numeric.$build)"

# --- the source copy --------------------------------------------------------
stage_source() {
  rm -rf "$stage"
  mkdir -p "$stage" "$tools"
  if git rev-parse --git-dir >/dev/null 2>&1; then
    # Tracked and new files, not ignored ones (dist/, bin/, *.test), and not
    # tracked files deleted in the working tree.
    git ls-files -z -co --exclude-standard |
      while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
      xargs -0 cp --parents -t "$stage"
  else
    tar --exclude=./dist --exclude=./bin --exclude=./.git -cf - . | tar -xf - -C "$stage"
  fi
  # FyneApp.toml's Version must be x.y.z: the Fyne metadata gets the numeric
  # part, the program's own Version variable gets the full one.
  sed -i "/^[[:space:]]*\[Details\]/,/^[[:space:]]*\[/ s/^\([[:space:]]*Version[[:space:]]*=[[:space:]]*\).*/\1\"$numeric\"/" "$stage/FyneApp.toml"
}

# The fyne CLI is a tool dependency in go.mod (go get -tool). It is built for
# this machine first: `go tool fyne` under CC=<cross compiler> would rebuild
# it with the cross compiler and fail.
build_tools() {
  (cd "$stage" &&
    CGO_ENABLED=0 $GO build -o "$tools/fyne" fyne.io/tools/cmd/fyne &&
    CGO_ENABLED=0 $GO build -o "$tools/goversioninfo" github.com/josephspurrier/goversioninfo/cmd/goversioninfo)
}

# versioninfo JSON for goversioninfo: windows_resource OUT.syso NAME DESCRIPTION FILE ICON MANIFEST
windows_resource() {
  local syso=$1 name=$2 desc=$3 file=$4 icon=$5 manifest=$6
  local major minor patch
  IFS=. read -r major minor patch <<<"$numeric"
  major=${major:-0} minor=${minor:-0} patch=${patch:-0}
  local json
  json=$(mktemp "$work/versioninfo.XXXX.json")
  cat >"$json" <<EOF
{
  "FixedFileInfo": {
    "FileVersion": {"Major": $major, "Minor": $minor, "Patch": $patch, "Build": $build},
    "ProductVersion": {"Major": $major, "Minor": $minor, "Patch": $patch, "Build": $build},
    "FileFlagsMask": "3f", "FileFlags": "00", "FileOS": "040004", "FileType": "01", "FileSubType": "00"
  },
  "StringFileInfo": {
    "CompanyName": "Registar",
    "FileDescription": "$desc",
    "FileVersion": "$major.$minor.$patch.$build",
    "InternalName": "$name",
    "LegalCopyright": "",
    "OriginalFilename": "$file",
    "ProductName": "Registar",
    "ProductVersion": "$version"
  },
  "VarFileInfo": {"Translation": {"LangID": "0409", "CharsetID": "04B0"}},
  "IconPath": "$icon",
  "ManifestPath": "$manifest"
}
EOF
  "$tools/goversioninfo" -64 -o "$syso" "$json"
  rm -f "$json"
}

# Common controls and compatibility: Windows 10 and 11 (what Go supports),
# no elevation. DPI awareness is left to GLFW, which sets it at start.
write_manifest() {
  cat >"$1" <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity version="$numeric.$build" processorArchitecture="*" name="ba.registar.app" type="win32"/>
  <description>Registar</description>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application>
      <supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>
    </application>
  </compatibility>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security>
      <requestedPrivileges>
        <requestedExecutionLevel level="asInvoker" uiAccess="false"/>
      </requestedPrivileges>
    </security>
  </trustInfo>
</assembly>
EOF
}

# Texts every archive carries: copy_texts DIR windows|linux
copy_texts() {
  local dir=$1 os=$2
  cp README.md "$dir/README.md"
  for f in LICENSE LICENSE.txt LICENSE.md COPYING; do
    [ -f "$f" ] && cp "$f" "$dir/"
  done
  if [ -f reports/fonts/OFL.txt ]; then
    cp reports/fonts/OFL.txt "$dir/OFL.txt"
  else
    log "warning: reports/fonts/OFL.txt not found; the archive has no font licence file"
  fi
  start_here "$os" >"$dir/START-HERE.txt"
  if [ "$os" = windows ]; then
    local f
    for f in "$dir"/*.txt; do sed -i 's/\r\?$/\r/' "$f"; done # Notepad-friendly
  fi
}

start_here() {
  if [ "$1" = windows ]; then
    cat <<EOF
Registar $version for Windows (64-bit, Windows 10 or 11)
=========================================================

Install
  Unzip this folder where you want to keep it, for example Documents\\Registar,
  and double-click Registar.exe. Nothing else is needed.
  Windows may say "Windows protected your PC": the program is not signed.
  Click "More info", then "Run anyway". It asks only the first time.

What is here
  Registar.exe              the desktop application
  registar-cli.exe          the same operations from a Command Prompt or
                            PowerShell: registar-cli.exe help
  README.md                 what Registar does (plain text)
  OFL.txt                   licence of the Noto Sans font
  THIRD_PARTY_LICENSES.txt  licences of the libraries built into the programs

Your data
  %LOCALAPPDATA%\\Registar\\registry
  (for example C:\\Users\\<you>\\AppData\\Local\\Registar\\registry). The About
  dialog shows the folder and opens it. The data is not in this folder, so
  you can replace or delete the programs without losing it.

Back up (close Registar first: one program at a time may open the registry)
  registar-cli.exe backup D:\\registar-2026-11-22.backup
  One file with every record, the audit log and the settings; an encrypted
  registry gives an encrypted backup. Keep copies off the laptop (USB disk).

Move to another laptop
  1. On the old laptop: registar-cli.exe backup E:\\registar.backup
  2. Unzip Registar on the new laptop and copy the file there.
  3. On the new laptop: registar-cli.exe restore E:\\registar.backup
  A registry already on the new laptop is kept beside the restored one.

Update
  Close Registar, replace Registar.exe and registar-cli.exe with the new ones.

Check the version
  registar-cli.exe version
EOF
  else
    cat <<EOF
Registar $version for Linux (x86-64)
====================================

Install for yourself (menu entry and icon, no root):
  make user-install      # ~/.local/bin, ~/.local/share/applications, icons
Or for everyone:
  sudo make install      # /usr/local
Or run it from here: usr/local/bin/registar (or usr/bin/registar)
Remove with make user-uninstall or sudo make uninstall.

It needs the usual desktop libraries (OpenGL, X11), present on any desktop.

What is here
  usr/.../bin/registar      the desktop application
  usr/.../bin/registar-cli  the same operations from a terminal (static binary)
  usr/.../share/...         the .desktop file and the icons
  README.md                 what Registar does
  OFL.txt                   licence of the Noto Sans font
  THIRD_PARTY_LICENSES.txt  licences of the libraries built into the programs

Your data
  \$XDG_DATA_HOME/registar, else ~/.local/share/registar

Back up (close Registar first: one program at a time may open the registry)
  registar-cli backup ~/registar-2026-11-22.backup
Move to another laptop
  registar-cli backup FILE on the old one, copy FILE, registar-cli restore FILE
  on the new one (a registry already there is kept beside the restored one).

Check the version
  registar-cli version
EOF
  fi
}

# Fails unless every given file contains the version string.
check_version_in() {
  local f
  for f in "$@"; do
    grep -aqF -- "$version" "$f" || die "$f does not contain the version $version"
  done
}

# --- Windows ----------------------------------------------------------------
dist_windows() {
  local t0=$SECONDS name=registar-$version-windows-amd64
  local out=$work/$name
  rm -rf "$out" "dist/$name.zip"
  mkdir -p "$out"
  command -v "$MINGW_CC" >/dev/null || die "$MINGW_CC not found: run make dist-sysdeps"

  write_manifest "$stage/registar.exe.manifest"
  windows_resource "$stage/rsrc_windows_amd64.syso" Registar "Registar" Registar.exe \
    "$stage/icons/registar.ico" "$stage/registar.exe.manifest"
  windows_resource "$stage/cmd/registar-cli/rsrc_windows_amd64.syso" registar-cli \
    "Registar command line" registar-cli.exe "$stage/icons/registar.ico" ""

  # The GUI: fyne build adds the Fyne metadata (ID, icon for the window,
  # version), -H=windowsgui, -trimpath, -s -w and the migrated_fynedo tag
  # from FyneApp.toml; the .syso above adds the Windows icon and version
  # resource. Debian's MinGW needs libssp for fyne's -fstack-protector-strong:
  # linked statically (-l:libssp.a), the .exe needs no libssp-0.dll.
  log "Registar.exe: cgo cross-build (several minutes the first time)"
  (cd "$stage" && env GOFLAGS="-buildvcs=false -ldflags=-X=registar/app.Version=$version" \
    CC="$MINGW_CC" CGO_LDFLAGS="-l:libssp.a" GOOS=windows GOARCH=amd64 \
    $NICE "$tools/fyne" build --os windows --release -o "$out/Registar.exe")
  log "Registar.exe built in $(elapsed "$t0")"

  (cd "$stage" && CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $NICE $GO build -buildvcs=false -trimpath \
    -ldflags "-s -w -X main.version=$version" -o "$out/registar-cli.exe" ./cmd/registar-cli)

  copy_texts "$out" windows
  (cd "$stage" && "$root/scripts/dist-licences.sh" "$out/THIRD_PARTY_LICENSES.txt" "$out/Registar.exe" "$out/registar-cli.exe")
  sed -i 's/\r\?$/\r/' "$out/THIRD_PARTY_LICENSES.txt"

  check_windows "$out"
  (cd "$work" && zip -q -r -9 -X "$root/dist/$name.zip" "$name")
  log "dist/$name.zip: $(du -h "dist/$name.zip" | cut -f1) in $(elapsed "$t0")"
}

check_windows() {
  local out=$1 f desc dlls headers objdump=x86_64-w64-mingw32-objdump
  command -v $objdump >/dev/null || objdump=objdump
  desc=$(file -b "$out/Registar.exe")
  [[ $desc == *"PE32+ executable (GUI) x86-64"* ]] || die "Registar.exe is not a PE32+ GUI x86-64 executable: $desc"
  desc=$(file -b "$out/registar-cli.exe")
  [[ $desc == *"PE32+ executable (console) x86-64"* ]] || die "registar-cli.exe is not a PE32+ console x86-64 executable: $desc"
  for f in Registar.exe registar-cli.exe; do
    headers=$($objdump -p "$out/$f") # not piped into grep -q: pipefail and SIGPIPE
    dlls=$(awk '/DLL Name:/ { print $3 }' <<<"$headers" | sort -u | tr '\n' ' ')
    log "$f imports: $dlls"
    # MinGW's runtime DLLs are not on a clean Windows.
    if grep -qiE '(^| )lib[^ ]*\.dll' <<<"$dlls"; then die "$f needs a MinGW DLL a clean Windows lacks: $dlls"; fi
    grep -q 'Resource Directory \[\.rsrc\]' <<<"$headers" || die "$f has no resources (icon, version)"
  done
  check_version_in "$out/Registar.exe" "$out/registar-cli.exe"
}

# --- Linux ------------------------------------------------------------------
dist_linux() {
  local t0=$SECONDS name=registar-$version-linux-amd64
  local out=$work/$name
  rm -rf "$out" "$work/linux-pkg" "dist/$name.tar.xz"
  log "registar (Linux): fyne package"
  (cd "$stage" && rm -f Registar.tar.xz && env GOFLAGS="-buildvcs=false -ldflags=-X=registar/app.Version=$version" \
    $NICE "$tools/fyne" package --os linux --release --app-version "$numeric" --app-build "$build")
  mkdir -p "$work/linux-pkg"
  tar -xJf "$stage/Registar.tar.xz" -C "$work/linux-pkg"
  mv "$work/linux-pkg/registar" "$out"
  rmdir "$work/linux-pkg"
  log "registar (Linux) built in $(elapsed "$t0")"

  # fyne uses usr/local when the build machine has /usr/local, else usr.
  local prefix=usr/local
  [ -d "$out/usr/local" ] || prefix=usr
  (cd "$stage" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $NICE $GO build -buildvcs=false -trimpath \
    -ldflags "-s -w -X main.version=$version" -o "$out/$prefix/bin/registar-cli" ./cmd/registar-cli)
  (cd "$stage" && $GO run icons/gen.go -hicolor "$out/$prefix/share/icons/hicolor")

  # fyne's Makefile cannot install: it names the icon "ba.registar.app"
  # while the file is ba.registar.app.png (fyne tools v1.7.2), so `make
  # user-install` stops with "cannot stat". It also leaves out the command
  # line and the theme icons. Ours replaces it.
  cat >"$out/Makefile" <<'EOF'
# Registar for Linux: install from this folder.
#   make user-install      for you: ~/.local/bin, menu entry and icons in ~/.local/share
#   sudo make install      for everyone: /usr/local (PREFIX=/usr to change)
#   make user-uninstall, sudo make uninstall: remove the programs; the data stays
PREFIX  ?= /usr/local
USERDIR ?= $(HOME)/.local
SRC     := $(firstword $(wildcard usr/local) usr)
ID      := ba.registar.app
SIZES   := 16 22 24 32 48 64 128 256 512

.PHONY: default install user-install uninstall user-uninstall files remove
default:
	@sed -n '2,4p' Makefile | cut -c3-

install:
	@$(MAKE) --no-print-directory files DEST=$(DESTDIR)$(PREFIX)

user-install:
	@$(MAKE) --no-print-directory files DEST=$(DESTDIR)$(USERDIR)
	sed -i 's,^Exec=registar$$,Exec=$(USERDIR)/bin/registar,' $(DESTDIR)$(USERDIR)/share/applications/$(ID).desktop

uninstall:
	@$(MAKE) --no-print-directory remove DEST=$(DESTDIR)$(PREFIX)

user-uninstall:
	@$(MAKE) --no-print-directory remove DEST=$(DESTDIR)$(USERDIR)

files:
	install -Dm755 $(SRC)/bin/registar $(DEST)/bin/registar
	install -Dm755 $(SRC)/bin/registar-cli $(DEST)/bin/registar-cli
	install -Dm644 $(SRC)/share/applications/$(ID).desktop $(DEST)/share/applications/$(ID).desktop
	for s in $(SIZES); do install -Dm644 $(SRC)/share/icons/hicolor/$${s}x$${s}/apps/$(ID).png $(DEST)/share/icons/hicolor/$${s}x$${s}/apps/$(ID).png || exit 1; done

remove:
	rm -f $(DEST)/bin/registar $(DEST)/bin/registar-cli $(DEST)/share/applications/$(ID).desktop
	for s in $(SIZES); do rm -f $(DEST)/share/icons/hicolor/$${s}x$${s}/apps/$(ID).png; done
EOF

  copy_texts "$out" linux
  (cd "$stage" && "$root/scripts/dist-licences.sh" "$out/THIRD_PARTY_LICENSES.txt" "$out/$prefix/bin/registar" "$out/$prefix/bin/registar-cli")

  local desc
  desc=$(file -b "$out/$prefix/bin/registar-cli")
  [[ $desc == *"statically linked"* ]] || die "registar-cli is not static: $desc"
  [ -f "$out/$prefix/share/applications/ba.registar.app.desktop" ] || die "no .desktop file"
  check_version_in "$out/$prefix/bin/registar"
  "$out/$prefix/bin/registar-cli" version | grep -qF "registar-cli $version (" || die "registar-cli version does not say $version"

  tar -C "$work" --owner=0 --group=0 -cJf "dist/$name.tar.xz" "$name"
  log "dist/$name.tar.xz: $(du -h "dist/$name.tar.xz" | cut -f1) in $(elapsed "$t0")"
}

t_all=$SECONDS
stage_source
build_tools
case $what in
  windows) dist_windows ;;
  linux) dist_linux ;;
  all) dist_windows; dist_linux ;;
esac
log "done in $(elapsed "$t_all"): $(cd dist && ls registar-"$version"-* | tr '\n' ' ')"
