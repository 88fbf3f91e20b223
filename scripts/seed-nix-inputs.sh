#!/usr/bin/env bash
# Puts a pinned upstream tree into the Nix store from a local copy, for machines without network.
# The tests reach every pinned input (templates/pins/upstream-inputs.json) through
# `builtins.fetchTarball { url; sha256; }`, which Nix answers from the store without a download
# when the fixed-output path is there. With network nothing is needed; without it, run this once
# per machine with a checkout of the input (the store outlives the session).
#
#   scripts/seed-nix-inputs.sh NAME SOURCE   SOURCE: a git checkout or git directory that has the
#                                            pinned commit, or a directory holding the unpacked tree
#   scripts/seed-nix-inputs.sh --status      every pin, and whether the store has it
#
# The tree is unpacked from the pinned commit (git archive, as GitHub's tarball is made), its NAR
# hash is compared with the pin, and only an equal tree is added: another hash is refused, naming both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pins="${NIXOS_STACK_PINS:-templates/pins/upstream-inputs.json}"
usage="usage: scripts/seed-nix-inputs.sh NAME SOURCE | --status   (NAME: a pin in $pins)"

die() { echo "seed-nix-inputs: $1" >&2; exit "${2:-1}"; }

# pin_field NAME FIELD: one value of a pin, read with node (always here: the repo needs it)
pin_field() {
  node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[process.argv[2]];
    if (!p || process.argv[2].startsWith("$")) process.exit(3);
    process.stdout.write(String(p[process.argv[3]] ?? ""));' "$pins" "$1" "$2"
}

pin_names() {
  node -e 'console.log(Object.keys(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))).filter((k) => !k.startsWith("$")).join("\n"))' "$pins"
}

case "${1:-}" in
  -h | --help) echo "$usage"; exit 0 ;;
  --status)
    while read -r name; do
      path=$(pin_field "$name" storePath)
      if [[ -e $path ]]; then echo "$name: in the store ($path)"; else echo "$name: missing ($path): scripts/seed-nix-inputs.sh $name <a checkout of $(pin_field "$name" repo)>"; fi
    done < <(pin_names)
    exit 0 ;;
  "") die "$usage" 2 ;;
esac
(($# == 2)) || die "$usage" 2
name=$1 src=$2
commit=$(pin_field "$name" commit) || die "$pins pins no input named $name (known: $(pin_names | tr '\n' ' '))" 2
want=$(pin_field "$name" sha256)
store_path=$(pin_field "$name" storePath)
[[ -d $src ]] || die "$src is not a directory: give a git checkout of $(pin_field "$name" repo) or the unpacked tree" 2
command -v nix-store >/dev/null 2>&1 || die "nix-store is not installed (Debian: apt-get install nix-bin)" 2

if [[ -e $store_path ]]; then
  echo "$name: already in the store: $store_path"
  exit 0
fi

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
mkdir "$work/source" # the store path's name, as fetchTarball gives it

if [[ -d $src/.git || (-f $src/HEAD && -d $src/objects) ]]; then
  git_dir=$src
  [[ -d $src/.git ]] && git_dir=$src/.git
  git --git-dir "$git_dir" cat-file -e "$commit^{commit}" 2>/dev/null ||
    die "$src has no commit $commit (the pin of $name): fetch it there first"
  git --git-dir "$git_dir" archive "$commit" | tar -x -C "$work/source"
  from="$src at $commit"
else
  cp -a "$src/." "$work/source/"
  from=$src
fi

got=$(nix-hash --type sha256 --base32 "$work/source")
if [[ $got != "$want" ]]; then
  die "refused $from: its NAR hash is $got, the pin of $name says $want (another commit or a changed tree); nothing was added"
fi
added=$(nix-store --add-fixed --recursive sha256 "$work/source")
[[ $added == "$store_path" ]] || die "added $added, but the pin of $name names $store_path: correct storePath in $pins"
echo "$name: added $added (NAR hash $got)"
