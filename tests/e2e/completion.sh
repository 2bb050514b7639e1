#!/usr/bin/env bash
# tests/e2e/completion.sh - completion/epollviz.bash against the program:
# Tab after `epollviz -` offers exactly the options of `epollviz --help`
# (read here by a different rule than the completion's), after an option
# that takes one of a set of values it offers values, and the program
# accepts every value offered; its own value table names only options of
# --help; scenario files complete.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

script=$E2E_TOP/completion/epollviz.bash

# complete_words WORD...: what Tab offers with the cursor at the end of the
# last WORD (give '' for a new, empty word), one per line, sorted.  Run in
# a fresh bash that has only the completion file sourced.
complete_words() {
	bash --norc --noprofile -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_epollviz
		printf "%s\n" "${COMPREPLY[@]}"' complete "$script" "$EPOLLVIZ" "$@" 2>&1 | sort
}

# Every option on the option lines of --help: "-p, --port N", "--mono".
"$EPOLLVIZ" --help >"$E2E_TMP/help" 2>&1
grep -E '^ +-' "$E2E_TMP/help" | sed -E 's/^ +//; s/   .*//' |
	grep -oE '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | sed -E 's/^[ ,]//' | sort -u >"$E2E_TMP/help-options"
complete_words - | sort -u >"$E2E_TMP/offered"
n=$(wc -l <"$E2E_TMP/help-options")
if [ "$n" -gt 20 ] && cmp -s "$E2E_TMP/help-options" "$E2E_TMP/offered"; then
	ok "completion: 'epollviz -' Tab offers the $n options of --help, no more, no fewer"
else
	fail "completion: 'epollviz -' Tab offers the options of --help, no more, no fewer" \
		"$(diff "$E2E_TMP/help-options" "$E2E_TMP/offered" | head -n 12)"
fi

got=$(complete_words --mo | tr '\n' ' ')
if [ "$got" = "--mode --mono " ]; then
	ok "completion: '--mo' gives --mode and --mono"
else
	fail "completion: '--mo' gives --mode and --mono" "got: $got"
fi

# Values: after each option that takes one, every value offered must be
# one the program accepts (-V stops after the options before it are read).
if "$EPOLLVIZ" --mode bogus -V >/dev/null 2>&1; then
	fail "completion: the program refuses '--mode bogus' (so accepting a value means something)"
fi
# Options with a value: a single space between the name and its placeholder.
sed -nE 's/^ +((-[A-Za-z0-9], )?--[A-Za-z0-9-]+) [^ ].*/\1/p' "$E2E_TMP/help" |
	grep -oE -- '--?[A-Za-z0-9][A-Za-z0-9-]*' >"$E2E_TMP/help-valued"
valued=0 bad=''
while read -r opt; do
	case $opt in --record) continue ;; esac # file names
	values=$(complete_words "$opt" '')
	[ -n "$values" ] || continue
	valued=$((valued + 1))
	for v in $values; do
		"$EPOLLVIZ" "$opt" "$v" -V >/dev/null 2>&1 || bad="$bad $opt $v;"
	done
done <"$E2E_TMP/help-valued"
if [ "$valued" -ge 8 ] && [ -z "$bad" ]; then
	ok "completion: $valued options get values, and the program accepts every value offered"
else
	fail "completion: values for options, each accepted by the program" \
		"options with values: $valued; refused:$bad"
fi
for args in "--mode:et lt oneshot" "--accept:all one single" "-b:drain" "--eof:close ignore" \
	"--compare=:et,lt et,oneshot lt,et lt,oneshot oneshot,et oneshot,lt"; do
	opt=${args%%:*} want=${args#*:}
	if [[ $opt == *= ]]; then
		got=$(complete_words "$opt" | tr '\n' ' ')
	else
		got=$(complete_words "$opt" '' | tr '\n' ' ')
	fi
	if [ "$got" = "$want " ]; then
		ok "completion: '$opt' offers $want"
	else
		fail "completion: '$opt' offers $want" "got: $got"
	fi
done

# The completion's own table may name only options that --help has.
stale=''
while read -r names; do
	for o in $names; do
		grep -qxF -- "$o" "$E2E_TMP/help-options" || stale="$stale $o"
	done
done < <(bash --norc --noprofile -c '. "$1"; printf "%s\n" "$_epollviz_values"' x "$script" |
	sed -n 's/:.*//p')
if [ -z "$stale" ]; then
	ok "completion: its value table names only options of --help"
else
	fail "completion: its value table names options --help does not have:$stale"
fi

# Files: --record takes any file; the argument is a scenario.
got=$(cd "$E2E_TOP" && complete_words --record README | tr '\n' ' ')
if [ "$got" = "README.md " ]; then
	ok "completion: '--record README' completes a file name"
else
	fail "completion: '--record README' completes a file name" "got: $got"
fi
lesson=$(cd "$E2E_TOP" && printf '%s\n' scenarios/04-*.scn | head -n 1)
got=$(cd "$E2E_TOP" && complete_words --mono scenarios/04 | tr '\n' ' ')
if [ -n "$lesson" ] && [ "$got" = "$lesson " ]; then
	ok "completion: 'scenarios/04' completes the lesson's file"
else
	fail "completion: 'scenarios/04' completes the lesson's file" "got: $got"
fi

e2e_finish
