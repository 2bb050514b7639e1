#!/usr/bin/env bash
# tests/e2e/fuzz.sh - the fuzz targets without libFuzzer: `make test`
# builds each tests/fuzz/fuzz_NAME.c with replay.c into build/fuzz/
# (`make check`: build-san/fuzz/, under the sanitizers), and this runs
# each once over its seeds.  So the harnesses keep compiling as the code
# moves, and every input that ever found a bug (kept in tests/fuzz/corpus/)
# runs again.  Also: the dictionaries name every command, expect property
# and long option the program has.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# Where make put the replay binaries: FUZZ_REPLAY, or beside the build.
dir=$(dirname "$EPOLLVIZ")
[ "$dir" = "$E2E_TOP" ] && dir=$E2E_TOP/build
FUZZ_REPLAY=${FUZZ_REPLAY:-$dir/fuzz}
case $FUZZ_REPLAY in /*) ;; *) FUZZ_REPLAY=$E2E_TOP/${FUZZ_REPLAY#./} ;; esac
corpus=$E2E_TOP/tests/fuzz/corpus

# seeds NAME: the directories a target replays (those that exist).
seeds() {
	local d
	case $1 in
	scenario) set -- "$corpus/scenario" "$E2E_TOP/scenarios" ;;
	engine) set -- "$corpus/engine" "$corpus/scenario" "$E2E_TOP/scenarios" ;;
	*) set -- "$corpus/$1" ;;
	esac
	for d in "$@"; do
		[ -d "$d" ] && printf '%s\n' "$d"
	done
}

for src in "$E2E_TOP"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin=$FUZZ_REPLAY/replay-$name
	log=$E2E_TMP/$name.log
	if [ ! -x "$bin" ]; then
		fail "replay-$name: ${bin#"$E2E_TOP"/} is not built (make test builds it)"
		continue
	fi
	mapfile -t dirs < <(seeds "$name")
	(cd "$E2E_TOP" && timeout 120 "$bin" "${dirs[@]}") >"$log" 2>&1
	status=$?
	n=$(sed -n 's/^replayed \([0-9]*\) inputs$/\1/p' "$log")
	if [ "$status" -eq 0 ] && [ "${n:-0}" -gt 0 ]; then
		ok "replay-$name: its $n seeds run clean"
	else
		fail "replay-$name: its seeds: exit $status (the last '#' line names the input)"
		context "$log" 20
	fi
done

# dict_has FILE WORD: the dictionary has the line "WORD".
dict_has() { grep -qxF "\"$2\"" "$1"; }

missing=''
while read -r word _; do
	dict_has "$E2E_TOP/tests/fuzz/scenario.dict" "$word" || missing="$missing $word"
done < <("$EPOLLVIZ" --commands | grep -E '^[a-z]')
printf 'help expect\n' >"$E2E_TMP/help.scn"
while IFS= read -r prop; do
	dict_has "$E2E_TOP/tests/fuzz/scenario.dict" "$prop" || missing="$missing $prop"
done < <("$EPOLLVIZ" --headless "$E2E_TMP/help.scn" 2>&1 | grep -aE '^  (NAME|listener|server): ' |
	sed 's/^[^:]*: //' | tr ',' '\n' | tr -d ' ' | sort -u)
if [ -z "$missing" ]; then
	ok "scenario.dict names every command and expect property"
else
	fail "scenario.dict lacks:$missing"
fi

missing=''
while IFS= read -r opt; do
	dict_has "$E2E_TOP/tests/fuzz/options.dict" "$opt" || missing="$missing $opt"
done < <("$EPOLLVIZ" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
if [ -z "$missing" ]; then
	ok "options.dict names every long option"
else
	fail "options.dict lacks:$missing"
fi

e2e_finish
