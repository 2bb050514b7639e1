#!/usr/bin/env bash
# tests/e2e/docs.sh - the README says what the program does: its command
# list is the program's own (--commands), its expect properties are the
# ones `help expect` lists, its knob table has every knob of --knobs,
# every scenario file is in its table, the teachers' section names what a
# class needs, and options pass through `make run ARGS=...`.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

readme=$E2E_TOP/README.md

sed -n '/<!-- commands:begin -->/,/<!-- commands:end -->/p' "$readme" |
	grep -v -e '^<!--' -e '^```' >"$E2E_TMP/readme-commands"
"$EPOLLVIZ" --commands >"$E2E_TMP/commands" 2>&1
if [ -s "$E2E_TMP/commands" ] && cmp -s "$E2E_TMP/readme-commands" "$E2E_TMP/commands"; then
	ok "docs: README command list matches epollviz --commands"
else
	fail "docs: README command list differs from epollviz --commands" \
		"$(diff "$E2E_TMP/readme-commands" "$E2E_TMP/commands" | head -n 12)"
fi

# `help expect` prints "  NAME: p1, p2", "  listener: ...", "  server: ...".
printf 'help expect\n' >"$E2E_TMP/help.scn"
"$EPOLLVIZ" --headless "$E2E_TMP/help.scn" >"$E2E_TMP/help.out" 2>&1
missing=''
nprops=0
while IFS= read -r prop; do
	nprops=$((nprops + 1))
	grep -qF "\`$prop\`" "$readme" || missing="$missing $prop"
done < <(grep -aE '^  (NAME|listener|server): ' "$E2E_TMP/help.out" |
	sed 's/^[^:]*: //' | tr ',' '\n' | tr -d ' ' | sort -u)
if [ "$nprops" -gt 10 ] && [ -z "$missing" ]; then
	ok "docs: README names all $nprops expect properties"
else
	fail "docs: README misses expect properties (or help lists none)" "missing:$missing" \
		"$(head -n 8 "$E2E_TMP/help.out")"
fi

# Every long option of --help is documented in the README (in backquotes).
missing=''
nopts=0
while IFS= read -r opt; do
	nopts=$((nopts + 1))
	grep -qF -- "\`$opt" "$readme" || missing="$missing $opt"
done < <("$EPOLLVIZ" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
if [ "$nopts" -gt 10 ] && [ -z "$missing" ]; then
	ok "docs: README documents all $nopts long options of --help"
else
	fail "docs: README does not document some options of --help (or --help lists none)" "missing:$missing"
fi

# The knob table: every knob of --knobs has its row in the README's table
# ("| `name` | ..."), naming each of its value words in backquotes.
knobs=$(sed -n '/^## The knobs/,/^## /p' "$readme")
nknobs=0
missing=''
while read -r name usage _; do
	nknobs=$((nknobs + 1))
	row=$(printf '%s\n' "$knobs" | grep -F -- "| \`$name\` |")
	if [ -z "$row" ]; then
		missing="$missing $name"
		continue
	fi
	for word in $(printf '%s\n' "$usage" | tr '|' ' '); do
		case $word in
		*[A-Z]*) ;; # a number, such as BYTES
		*) printf '%s\n' "$row" | grep -qF -- "\`$word\`" || missing="$missing $name:$word" ;;
		esac
	done
done < <("$EPOLLVIZ" --knobs)
if [ "$nknobs" -ge 7 ] && [ -z "$missing" ]; then
	ok "docs: README's knob table has all $nknobs knobs of --knobs, with their values"
else
	fail "docs: README's knob table misses knobs or values (or --knobs lists fewer than 7)" \
		"missing:$missing"
fi

# The teachers' section names what a class needs, and the README's way of
# passing options through make works.
sed -n '/^## For teachers/,/^## /p' "$readme" >"$E2E_TMP/teachers"
missing=''
for word in '-l 0.0.0.0' '--max-conns' '--max-per-peer' '80x24' '--mono' '--ascii' '--record' '--screens'; do
	grep -qF -- "$word" "$E2E_TMP/teachers" || missing="$missing '$word'"
done
if [ -s "$E2E_TMP/teachers" ] && [ -z "$missing" ]; then
	ok "docs: README's 'For teachers' names -l 0.0.0.0, the connection limits, 80x24, --mono, --ascii, recordings, handouts"
else
	fail "docs: README's 'For teachers' section (or what it must name)" "missing:$missing"
fi
got=$(cd "$E2E_TOP" && make -s --no-print-directory run ARGS='--mode et --version' 2>&1)
if grep -qF "make run ARGS='--mode et'" "$readme" && [ "$got" = "$("$EPOLLVIZ" --version)" ]; then
	ok "docs: options pass through make run ARGS='...' as the README says"
else
	fail "docs: options pass through make run ARGS='...' as the README says" "got: $got"
fi

for f in "$E2E_TOP"/scenarios/*.scn; do
	[ -e "$f" ] || continue
	name=$(basename "$f")
	if grep -qF "\`$name\`" "$readme"; then
		ok "docs: README lists $name"
	else
		fail "docs: README's scenario table misses $name"
	fi
done

e2e_finish
