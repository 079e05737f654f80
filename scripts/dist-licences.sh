#!/usr/bin/env bash
# scripts/dist-licences.sh OUT BINARY…
#
# Writes OUT, THIRD_PARTY_LICENSES.txt: the licence (and NOTICE) files of
# every Go module linked into the given binaries, read from their build
# information (`go version -m`), so the list follows go.mod by itself; the
# Go standard library's licence; the fonts and C code Fyne builds in; and,
# for a Windows .exe, the MinGW-w64 runtime linked into it. Run from the
# module root (it asks `go list -m` where each module's files are).
set -euo pipefail
out=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# path version [=> replacement path version], one line per module.
for bin in "$@"; do
  go version -m "$bin" | awk '
    $1 == "dep" { if (line) print line; line = $2 " " $3 }
    $1 == "=>"  { line = line " " $2 " " $3 }
    END { if (line) print line }'
done | sort -u >"$tmp/mods"

# Where each module of the build list is, replacements resolved.
go list -m -f '{{.Path}} {{if .Replace}}{{.Replace.Dir}}{{else}}{{.Dir}}{{end}}' all >"$tmp/dirs" 2>/dev/null || true

section() { # section TITLE FILE…
  printf '\n%s\n%s\n%s\n' "================================================================================" "$1" "================================================================================"
  shift
  local f
  for f in "$@"; do
    printf '\n--- %s ---\n\n' "$(basename "$f")"
    cat "$f"
  done
}

{
  echo "Third-party software in Registar"
  echo
  echo "Registar's programs are built from Go modules and fonts made by others."
  echo "Their licences follow, one section each, as their authors publish them."
  echo "The fonts' licence (SIL Open Font License 1.1) is also in OFL.txt."

  goroot=$(go env GOROOT)
  section "Go standard library and runtime ($(go env GOVERSION))" "$goroot/LICENSE"

  while read -r path version rpath rversion; do
    dir=$(awk -v p="$path" '$1 == p { print $2; exit }' "$tmp/dirs")
    if [ -z "$dir" ] || [ ! -d "$dir" ]; then
      dir=$(go mod download -json "${rpath:-$path}@${rversion:-$version}" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
    fi
    title="$path $version"
    [ -n "${rpath:-}" ] && title="$title (built from $rpath $rversion)"
    mapfile -t files < <(find "$dir" -maxdepth 1 -type f \( -iname 'licen[cs]e*' -o -iname 'copying*' -o -iname 'notice*' \) 2>/dev/null | sort)
    if [ ${#files[@]} -eq 0 ]; then
      echo "dist-licences: warning: no licence file found for $path $version" >&2
      section "$title"
      echo "(no licence file in the module; see https://pkg.go.dev/$path?tab=licenses)"
      continue
    fi
    case $path in
      fyne.io/fyne/v2)
        # Fonts Fyne embeds in its theme.
        mapfile -t -O "${#files[@]}" files < <(find "$dir/theme/font" -maxdepth 1 -type f -iname 'licen[cs]e*' | sort) ;;
      github.com/go-gl/glfw/*)
        # The GLFW C library compiled into the program.
        [ -f "$dir/glfw/LICENSE.md" ] && files+=("$dir/glfw/LICENSE.md") ;;
    esac
    section "$title" "${files[@]}"
    if [ "$path" = fyne.io/fyne/v2 ]; then
      echo
      echo "--- EmojiOne Color font (theme/font/EmojiOneColor.otf, embedded by Fyne) ---"
      echo
      echo "EmojiOne Color by Adobe (https://github.com/adobe-fonts/emojione-color), MIT"
      echo "licence; emoji artwork by EmojiOne (https://www.emojione.com)."
    fi
  done <"$tmp/mods"

  for bin in "$@"; do
    case $bin in
      *.exe)
        if go version -m "$bin" | grep -q 'CGO_ENABLED=1' && [ -f /usr/share/doc/mingw-w64-common/copyright ]; then
          section "MinGW-w64 runtime, linked into $(basename "$bin") (Debian's copyright file)" /usr/share/doc/mingw-w64-common/copyright
        fi ;;
    esac
  done
} >"$out"
