#!/usr/bin/env bash
# Trunk post_build hook (see Trunk.toml): runs in the staging folder of every
# build, before Trunk replaces dist/.
#  1. Moves Trunk's inline start-up script into a hashed file, so the
#     Content-Security-Policy needs no 'unsafe-inline' for scripts.
#  2. Writes sw.js from pwa/sw.template.js with the list of every file the
#     build produced and a version taken from their contents.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk build}"
source_dir="${TRUNK_SOURCE_DIR:-$PWD}"
index="$dir/index.html"

open_tag='<script type="module">'
html="$(cat "$index"; printf x)"
html="${html%x}"
if [[ "$html" == *"$open_tag"* ]]; then
  after="${html#*"$open_tag"}"
  script="${after%%</script>*}"
  name="boot-$(printf '%s' "$script" | sha256sum | cut -c1-16).js"
  printf '%s' "$script" > "$dir/$name"
  printf '%s' "${html%%"$open_tag"*}<script type=\"module\" src=\"/$name\"></script>${after#*</script>}" > "$index"
fi

cd "$dir"
files="$(find . -type f ! -name sw.js ! -name '*.gz' ! -name '*.br' | sed 's|^\./|/|' | LC_ALL=C sort)"
version="$(printf '%s\n' "$files" | sed 's|^/||' | xargs sha256sum | sha256sum | cut -c1-16)"
list="[$(printf '%s\n' "$files" | sed "s|.*|'&'|" | paste -sd, -)]"
template="$(cat "$source_dir/pwa/sw.template.js")"
template="${template//__VERSION__/$version}"
printf '%s\n' "${template//__FILES__/$list}" > sw.js
echo "precache: $(printf '%s\n' "$files" | wc -l) files, version $version"
