#!/usr/bin/env bash
# Re-create src/jiceng/static/vendor/ from pinned npm packages.
#
# Government intranets have no internet access, so every CSS/JS/font file the
# site loads is served by Jiceng itself from static/vendor/. This script is the
# only way that folder is written: it fetches exactly the versions pinned below
# with `npm pack` (no node_modules, nothing installed), checks each tarball
# against its pinned npm integrity hash, copies the few files the site needs,
# strips sourceMappingURL comments (so browsers do not ask for missing .map
# files), rewrites font CSS to reference woff2 only, checks that no shipped CSS
# loads anything from another origin, and writes vendor/VERSIONS.md.
#
# Usage:  tools/vendor.sh          (from anywhere; needs bash, npm, node, tar)
#
# To upgrade a library: change its version below, run the script once — it
# stops and prints the new tarball's integrity — paste that integrity below,
# run again, look at `git diff --stat`, and test the pages.
set -euo pipefail

# ---- pinned versions ---------------------------------------------------------
BOOTSTRAP_VERSION=5.3.9
BOOTSTRAP_ICONS_VERSION=1.13.2
HTMX_VERSION=2.0.11
ECHARTS_VERSION=5.6.0
LEAFLET_VERSION=1.9.4
NOTO_SANS_SC_VERSION=5.3.0
NOTO_SANS_SC_WEIGHTS=(400 700)

# npm "dist.integrity" of each tarball (sha512, as `npm view PKG@VER dist.integrity` prints it)
declare -A INTEGRITY=(
  ["bootstrap@$BOOTSTRAP_VERSION"]="sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w=="
  ["bootstrap-icons@$BOOTSTRAP_ICONS_VERSION"]="sha512-fAU1Ly3dH7hwRg+CB8EZ0Vl0fF80zgXHeUVJyfUOKzoURr+TbwISbCW5tKUoQLERaWYG2emTCybcPbD96hdD1A=="
  ["htmx.org@$HTMX_VERSION"]="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
  ["echarts@$ECHARTS_VERSION"]="sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA=="
  ["leaflet@$LEAFLET_VERSION"]="sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA=="
  ["@fontsource/noto-sans-sc@$NOTO_SANS_SC_VERSION"]="sha512-HeqIlGm0+ohOKxZLuHj1qW6r6avHH0OWdKERAcSDI0RQ+MXrteuLKA+M+5eOA8rYy0MFvOR5AT0fQo2rUkye0Q=="
)

# ---- paths -------------------------------------------------------------------
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$REPO/src/jiceng/static/vendor"
[[ -d "$REPO/src/jiceng/static" || -d "$REPO/src/jiceng" ]] || { echo "vendor.sh: $REPO does not look like the Jiceng repo" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/jiceng-vendor.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
OUT="$TMP/vendor"          # built here, moved into place only when every check passed
mkdir -p "$OUT"

die() { echo "vendor.sh: $*" >&2; exit 1; }

# fetch NAME@VERSION -> prints the directory holding the unpacked package/
fetch() {
  local spec="$1" dir="$TMP/pkg/${1//\//_}" json file integrity
  mkdir -p "$dir"
  json="$(cd "$dir" && npm pack "$spec" --json --pack-destination "$dir" 2>/dev/null)" \
    || die "npm pack $spec failed"
  # (the JSON lists every file of the package: pass it on stdin, not as an argument)
  file="$(node -e 'const j=JSON.parse(require("fs").readFileSync(0,"utf8"));console.log(j[0].filename)' <<<"$json")"
  integrity="$(node -e 'const j=JSON.parse(require("fs").readFileSync(0,"utf8"));console.log(j[0].integrity)' <<<"$json")"
  if [[ "${INTEGRITY[$spec]:-}" != "$integrity" ]]; then
    die "integrity of $spec is $integrity, pinned ${INTEGRITY[$spec]:-<none>} (update INTEGRITY if this is a deliberate upgrade)"
  fi
  tar -xzf "$dir/$(basename "$file")" -C "$dir"
  echo "$dir/package"
}

# put SRC DEST-RELATIVE-PATH : copy one file into the output with mode 0644
put() { install -D -m 0644 "$1" "$OUT/$2"; }

# strip_maps FILE : drop "//# sourceMappingURL=..." and "/*# sourceMappingURL=... */" lines
strip_maps() { sed -i -E '/^[[:space:]]*(\/\/|\/\*)[#@] sourceMappingURL=/d' "$1"; }

# ---- bootstrap ---------------------------------------------------------------
p="$(fetch "bootstrap@$BOOTSTRAP_VERSION")"
put "$p/dist/css/bootstrap.min.css"        bootstrap/bootstrap.min.css
put "$p/dist/js/bootstrap.bundle.min.js"   bootstrap/bootstrap.bundle.min.js
put "$p/LICENSE"                           bootstrap/LICENSE

# ---- bootstrap-icons (woff2 only) --------------------------------------------
p="$(fetch "bootstrap-icons@$BOOTSTRAP_ICONS_VERSION")"
put "$p/font/bootstrap-icons.min.css"        bootstrap-icons/bootstrap-icons.min.css
put "$p/font/fonts/bootstrap-icons.woff2"    bootstrap-icons/fonts/bootstrap-icons.woff2
put "$p/LICENSE"                             bootstrap-icons/LICENSE
sed -i -E 's@,url\("?fonts/bootstrap-icons\.woff(\?[^")]*)?"?\) format\("woff"\)@@' \
  "$OUT/bootstrap-icons/bootstrap-icons.min.css"

# ---- htmx --------------------------------------------------------------------
p="$(fetch "htmx.org@$HTMX_VERSION")"
put "$p/dist/htmx.min.js"  htmx/htmx.min.js
put "$p/LICENSE"           htmx/LICENSE

# ---- echarts -----------------------------------------------------------------
p="$(fetch "echarts@$ECHARTS_VERSION")"
put "$p/dist/echarts.min.js"     echarts/echarts.min.js
put "$p/LICENSE"                 echarts/LICENSE
put "$p/NOTICE"                  echarts/NOTICE
put "$p/licenses/LICENSE-d3"     echarts/licenses/LICENSE-d3   # LICENSE points to it (d3 code is in the bundle)

# ---- leaflet -----------------------------------------------------------------
p="$(fetch "leaflet@$LEAFLET_VERSION")"
put "$p/dist/leaflet.js"   leaflet/leaflet.js
put "$p/dist/leaflet.css"  leaflet/leaflet.css
for f in "$p"/dist/images/*; do put "$f" "leaflet/images/$(basename "$f")"; done
put "$p/LICENSE"           leaflet/LICENSE

# ---- Noto Sans SC (fontsource, unicode-range subsets, woff2 only) ------------
p="$(fetch "@fontsource/noto-sans-sc@$NOTO_SANS_SC_VERSION")"
css="$OUT/noto-sans-sc/noto-sans-sc.css"
mkdir -p "$OUT/noto-sans-sc/files"
{
  echo "/* Noto Sans SC, weights ${NOTO_SANS_SC_WEIGHTS[*]}, from @fontsource/noto-sans-sc@$NOTO_SANS_SC_VERSION."
  echo "   SIL Open Font License 1.1 (see LICENSE). Generated by tools/vendor.sh: woff2 only. */"
  for w in "${NOTO_SANS_SC_WEIGHTS[@]}"; do
    [[ -f "$p/$w.css" ]] || die "@fontsource/noto-sans-sc has no $w.css"
    sed -E "s@, *url\(\./files/[^)]+\.woff\) format\('woff'\)@@" "$p/$w.css"
    echo
  done
} > "$css"
chmod 0644 "$css"
grep -oE "url\(\./files/[^)]+\)" "$css" | sed -E 's@^url\(\./files/@@; s@\)$@@' | sort -u |
  while read -r f; do
    [[ "$f" == *.woff2 ]] || die "noto-sans-sc.css references non-woff2 file $f"
    put "$p/files/$f" "noto-sans-sc/files/$f"
  done
put "$p/LICENSE" noto-sans-sc/LICENSE

# ---- clean-up and checks -----------------------------------------------------
while IFS= read -r -d '' f; do strip_maps "$f"; done < <(find "$OUT" -type f \( -name '*.js' -o -name '*.css' \) -print0)

if grep -rl 'sourceMappingURL' "$OUT" --include='*.js' --include='*.css'; then
  die "sourceMappingURL left in the files above"
fi

# Every url(...) in shipped CSS must be data:, a #fragment, or an existing file beside the CSS.
while IFS= read -r -d '' f; do
  d="$(dirname "$f")"
  while IFS= read -r ref; do
    [[ -z "$ref" ]] && continue
    case "$ref" in
      data:*|\#*) continue ;;
      http:*|https:*|//*) die "${f#"$OUT"/} loads external URL $ref" ;;
    esac
    path="${ref%%[?#]*}"
    [[ -f "$d/$path" ]] || die "${f#"$OUT"/} references missing file $ref"
  done < <(grep -oE 'url\([^)]*\)' "$f" | sed -E "s@^url\(['\"]?@@; s@['\"]?\)\$@@")
  # @import of anything would be a further request: there must be none
  if grep -q '@import' "$f"; then die "${f#"$OUT"/} has an @import"; fi
done < <(find "$OUT" -type f -name '*.css' -print0)

# ---- VERSIONS.md -------------------------------------------------------------
files_of() { (cd "$OUT/$1" && find . -type f | sed 's@^\./@@' | LC_ALL=C sort); }
files_cell() {
  local dir="$1" list n
  n="$(files_of "$dir" | grep -c '\.woff2$' || true)"
  if (( n > 20 )); then
    list="$(files_of "$dir" | grep -v '\.woff2$' | sed 's/.*/`&`/' | paste -sd, | sed 's/,/, /g')"
    echo "$list, \`files/*.woff2\` ($n files)"
  else
    files_of "$dir" | sed 's/.*/`&`/' | paste -sd, | sed 's/,/, /g'
  fi
}
size_of() { du -sb "$OUT/$1" | awk '{printf "%.1f MB", $1/1000000}'; }

{
  echo "# Vendored front-end libraries"
  echo
  echo "Served by Jiceng itself (intranets have no internet). Generated by \`tools/vendor.sh\`;"
  echo "do not edit by hand — change the pinned version in the script and re-run it."
  echo "\`sourceMappingURL\` comments are stripped; font CSS references woff2 only."
  echo
  echo "| library | version | npm package | licence | files kept (under \`vendor/<dir>/\`) | size |"
  echo "| --- | --- | --- | --- | --- | --- |"
  echo "| Bootstrap | $BOOTSTRAP_VERSION | \`bootstrap@$BOOTSTRAP_VERSION\` | MIT | $(files_cell bootstrap) | $(size_of bootstrap) |"
  echo "| Bootstrap Icons | $BOOTSTRAP_ICONS_VERSION | \`bootstrap-icons@$BOOTSTRAP_ICONS_VERSION\` | MIT | $(files_cell bootstrap-icons) | $(size_of bootstrap-icons) |"
  echo "| htmx | $HTMX_VERSION | \`htmx.org@$HTMX_VERSION\` | 0BSD | $(files_cell htmx) | $(size_of htmx) |"
  echo "| Apache ECharts | $ECHARTS_VERSION | \`echarts@$ECHARTS_VERSION\` | Apache-2.0 (bundled d3 parts: BSD-3-Clause) | $(files_cell echarts) | $(size_of echarts) |"
  echo "| Leaflet | $LEAFLET_VERSION | \`leaflet@$LEAFLET_VERSION\` | BSD-2-Clause | $(files_cell leaflet) | $(size_of leaflet) |"
  echo "| Noto Sans SC (weights ${NOTO_SANS_SC_WEIGHTS[*]}) | $NOTO_SANS_SC_VERSION | \`@fontsource/noto-sans-sc@$NOTO_SANS_SC_VERSION\` | OFL-1.1 | $(files_cell noto-sans-sc) | $(size_of noto-sans-sc) |"
  echo
  echo "Total: $(du -sb "$OUT" | awk '{printf "%.1f MB", $1/1000000}') in $(find "$OUT" -type f | wc -l | tr -d ' ') files."
  echo
  echo "## Include in templates"
  echo
  echo "\`\`\`django"
  echo "<link rel=\"stylesheet\" href=\"{% static 'vendor/bootstrap/bootstrap.min.css' %}\">"
  echo "<link rel=\"stylesheet\" href=\"{% static 'vendor/bootstrap-icons/bootstrap-icons.min.css' %}\">"
  echo "<link rel=\"stylesheet\" href=\"{% static 'vendor/noto-sans-sc/noto-sans-sc.css' %}\">"
  echo "<link rel=\"stylesheet\" href=\"{% static 'vendor/leaflet/leaflet.css' %}\">        {# map pages only #}"
  echo "<script src=\"{% static 'vendor/bootstrap/bootstrap.bundle.min.js' %}\" defer></script>"
  echo "<script src=\"{% static 'vendor/htmx/htmx.min.js' %}\" defer></script>"
  echo "<script src=\"{% static 'vendor/echarts/echarts.min.js' %}\"></script>          {# chart pages only #}"
  echo "<script src=\"{% static 'vendor/leaflet/leaflet.js' %}\"></script>              {# map pages only #}"
  echo "\`\`\`"
  echo
  echo "## npm tarball integrity (checked by the script)"
  echo
  echo "| package | integrity |"
  echo "| --- | --- |"
  for spec in "bootstrap@$BOOTSTRAP_VERSION" "bootstrap-icons@$BOOTSTRAP_ICONS_VERSION" "htmx.org@$HTMX_VERSION" \
              "echarts@$ECHARTS_VERSION" "leaflet@$LEAFLET_VERSION" "@fontsource/noto-sans-sc@$NOTO_SANS_SC_VERSION"; do
    echo "| \`$spec\` | \`${INTEGRITY[$spec]}\` |"
  done
} > "$OUT/VERSIONS.md"
chmod 0644 "$OUT/VERSIONS.md"

# ---- swap into place ---------------------------------------------------------
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST"
mv "$OUT" "$DEST"
chmod 0755 "$DEST"
find "$DEST" -type d -exec chmod 0755 {} +
echo "vendor.sh: wrote $(find "$DEST" -type f | wc -l | tr -d ' ') files, $(du -sb "$DEST" | awk '{printf "%.1f MB", $1/1000000}'), to ${DEST#"$REPO"/}"
