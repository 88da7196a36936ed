#!/usr/bin/env bash
# Usage: docs/check-links.sh [repo-root]. Every relative markdown link in README.md, CONTRIBUTING.md and docs/ must resolve (file, and #anchor if given)
cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}"; bad=0
slug() { tr 'A-Z' 'a-z' <<<"$1" | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'; }
for f in README.md CONTRIBUTING.md $(find docs -name '*.md'); do
  while IFS= read -r link; do
    case "$link" in http://*|https://*|mailto:*) continue;; esac
    path=${link%%#*}; anchor=""; [[ $link == *#* ]] && anchor=${link#*#}
    if [[ -z $path ]]; then target=$f; else target=$(dirname "$f")/$path; fi
    if [[ ! -e $target ]]; then echo "$f: broken link $link"; bad=1; continue; fi
    if [[ -n $anchor ]]; then
      [[ -d $target ]] && { echo "$f: anchor on a directory $link"; bad=1; continue; }
      found=0
      while IFS= read -r h; do [[ $(slug "$h") == "$anchor" ]] && found=1; done < <(sed -n 's/^#\{1,6\} \(.*\)/\1/p' "$target")
      ((found)) || { echo "$f: no heading for #$anchor in $target"; bad=1; }
    fi
  done < <(grep -o '](\([^)]*\))' "$f" | sed 's/^](\(.*\))$/\1/')
done
exit $bad
