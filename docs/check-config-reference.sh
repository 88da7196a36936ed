#!/usr/bin/env bash
# Lists every gitcrq.* configuration key the sources use and fails (exit 1, naming them) when one is missing
# from docs/reference/configuration.md. Run from anywhere: docs/check-config-reference.sh [-v]
#   -v  also print every key found and where it came from.
# Where keys come from:
#   - application.properties / microprofile-config.properties under src/main (set or commented-out examples,
#     and ${gitcrq.…} references);
#   - @ConfigProperty(name = "gitcrq.…") and "${gitcrq.…}" in Java sources under src/main;
#   - "gitcrq.…" string literals in ConfigSource implementations (TopicsConfigSource, LocalHostConfigSource);
#   - @ConfigMapping(prefix = "gitcrq.…") interfaces: each abstract method, in kebab-case (@WithName wins), with
#     nested interfaces as groups and Map<String, …> members as "<name>" entries.
# A map entry's name ("alice", "demo") is matched as any "<…>" placeholder in the reference.
# Needs bash, grep, sed and sort only.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOC="$ROOT/docs/reference/configuration.md"
VERBOSE=${1:-}
cd "$ROOT"

found=()   # "key<TAB>origin"

kebab() { sed -e 's/\([A-Z]\)/-\L\1/g' <<<"$1"; }

# 1. properties files
while IFS= read -r file; do
  while IFS= read -r key; do
    found+=("$key	$file")
  done < <(sed -n -e 's/^#* *\(gitcrq\.[^=[:space:]]*\)[[:space:]]*=.*/\1/p' "$file"
           grep -o '\${gitcrq\.[A-Za-z0-9.\"_-]*' "$file" | sed 's/^\${//' || true)
done < <(find . -path '*/src/main/*' \( -name 'application*.properties' -o -name 'microprofile-config.properties' \) \
           -not -path '*/target/*' | sort)

# 2. Java: @ConfigProperty names, ${…} references, ConfigSource literals
while IFS= read -r file; do
  while IFS= read -r key; do
    found+=("$key	$file")
  done < <(grep -o '@ConfigProperty(name *= *"gitcrq\.[^"]*"' "$file" | sed 's/.*"\(gitcrq\.[^"]*\)"/\1/' || true
           grep -o '"\${gitcrq\.[A-Za-z0-9._-]*' "$file" | sed 's/^"\${//' || true
           if grep -q 'implements ConfigSource' "$file"; then
             grep -o '"gitcrq\.[A-Za-z0-9._-]*"' "$file" | sed -e 's/"//g' -e 's/\.$/.<name>/' || true
           fi)
done < <(grep -rl --include='*.java' -e 'gitcrq\.' . | grep '/src/main/' | grep -v '/target/' | sort)

# 3. @ConfigMapping interfaces
while IFS= read -r file; do
  prefix=$(sed -n 's/.*@ConfigMapping(prefix *= *"\([^"]*\)").*/\1/p' "$file")
  declare -A group=()      # nested interface name -> key prefix of its members
  top=() nested=()         # "name|type|withName" of abstract methods
  current="" withname=""
  while IFS= read -r line; do
    if [[ $line =~ ^[[:space:]]+interface[[:space:]]+([A-Za-z0-9_]+) ]]; then
      current=${BASH_REMATCH[1]}; continue
    fi
    if [[ $line =~ ^[[:space:]]*@WithName\(\"([^\"]*)\"\) ]]; then
      withname=${BASH_REMATCH[1]}; continue
    fi
    if [[ $line =~ ^([[:space:]]+)([A-Za-z0-9_.<>,\ ]+)[[:space:]]([a-z][A-Za-z0-9]*)\(\)\; ]]; then
      indent=${#BASH_REMATCH[1]} type=${BASH_REMATCH[2]} name=${BASH_REMATCH[3]}
      if ((indent <= 4)); then top+=("$name|$type|$withname"); else nested+=("$current|$name|$type|$withname"); fi
      withname=""
    fi
  done < "$file"
  for m in "${top[@]}"; do
    IFS='|' read -r name type wn <<<"$m"
    key="$prefix.${wn:-$(kebab "$name")}"
    inner=$(sed -n 's/.*Map<String, *\([A-Za-z0-9_]*\)>.*/\1/p' <<<"$type")
    if [[ -n $inner && $inner != String ]]; then
      group[$inner]="$key.\"<name>\""
    elif [[ $inner == String ]]; then
      found+=("$key.<name>	$file")
    elif grep -q "^[[:space:]]*interface[[:space:]]\+${type}[[:space:]]*{" "$file"; then
      group[$type]="$key"
    else
      found+=("$key	$file")
    fi
  done
  for m in "${nested[@]}"; do
    IFS='|' read -r owner name type wn <<<"$m"
    [[ -n ${group[$owner]:-} ]] && found+=("${group[$owner]}.${wn:-$(kebab "$name")}	$file")
  done
  unset group
done < <(grep -rl --include='*.java' '@ConfigMapping(prefix *= *"gitcrq\.' . | grep '/src/main/' | grep -v '/target/' | sort)

# Check each distinct key against the reference: a quoted map name or a <placeholder> matches any <…> placeholder.
missing=()
while IFS= read -r key; do
  pattern=$(sed -e 's/[.[\*^$]/\\&/g' -e 's/"[^"]*"/"<[^>]*>"/g' -e 's/<name>$/<[^>]*>/' <<<"$key")
  grep -q -- "$pattern" "$DOC" || missing+=("$key")
done < <(printf '%s\n' "${found[@]}" | sed 's/\t.*//' | sort -u)

if [[ $VERBOSE == -v ]]; then
  printf '%s\n' "${found[@]}" | sort -u
fi
total=$(printf '%s\n' "${found[@]}" | sed 's/\t.*//' | sort -u | wc -l)
if ((${#missing[@]})); then
  echo "missing from docs/reference/configuration.md (${#missing[@]} of $total keys):" >&2
  for key in "${missing[@]}"; do
    printf '  %s   (%s)\n' "$key" "$(printf '%s\n' "${found[@]}" | grep -F -- "$key	" | sed 's/.*\t//' | sort -u | tr '\n' ' ')" >&2
  done
  exit 1
fi
echo "all $total gitcrq.* keys used in the sources are in docs/reference/configuration.md"
