#!/usr/bin/env bash
# tests/e2e/hostile.sh - what a hostile or careless input must not do:
#
#   - a megabyte of garbage as a scenario file: a screenful of errors (the
#     first 20, then "... and N more errors"), exit 2; a binary or a file
#     that is not UTF-8: one line saying so;
#   - a lesson's `dump` to a symbolic link planted beside it: the link's
#     target is left as it was, and the error names the lesson's file:line;
#     its other dumps land beside it, not in the current directory.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

out=$E2E_TMP/out err=$E2E_TMP/err

lines() { if [ -s "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# ---- scenario files that are not scenarios ----------------------------------

# garbage WHAT FILE MAX-LINES MUST-CONTAIN: a headless run of FILE exits 2
# within the bound, prints nothing on stdout and at most MAX-LINES
# printable lines on stderr, one of them containing MUST-CONTAIN.
garbage() {
	local what=$1 file=$2 max=$3 needle=$4 why=()
	timeout "$POLL_BOUND" "$EPOLLVIZ" --headless "$file" >"$out" 2>"$err" </dev/null
	local status=$?
	[ "$status" -eq 2 ] || why+=("exit status $status, not 2")
	[ ! -s "$out" ] || why+=("stdout is not empty: nothing may run")
	[ "$(lines "$err")" -le "$max" ] || why+=("stderr has $(lines "$err") lines, more than $max")
	has "$err" "$needle" || why+=("stderr does not say '$needle'")
	only_printable "$err" || why+=("stderr has control or non-ASCII bytes")
	if [ ${#why[@]} -eq 0 ]; then
		ok "$what: exit 2, $(lines "$err") lines on stderr ('$needle')"
	else
		fail "$what: exit 2 and at most $max lines on stderr" "${why[@]}"
		context "$err" 5
	fi
}

# A megabyte of text that is no scenario: one error on each of its 45,455 lines.
yes 'this is not a command' | head -c 1000000 >"$E2E_TMP/garbage.scn"
garbage "1 MB of text garbage" "$E2E_TMP/garbage.scn" 21 \
	"... and 45435 more errors (45455 in all), nothing was run"
first=$(head -n 1 "$err")
if [ "$(grep -c ': error: ' "$err")" -eq 20 ] &&
	[[ $first == "$E2E_TMP/garbage.scn:1:1: error: unknown command 'this'"* ]]; then
	ok "1 MB of text garbage: the first 20 errors are listed, from line 1"
else
	fail "1 MB of text garbage: the first 20 errors are listed, from line 1" \
		"error lines: $(grep -c ': error: ' "$err")"
	context "$err" 3
fi

# A megabyte of binary, a NUL byte on each of its lines: one line at the
# first, and the tally.
{
	printf 'title "x"\ntick\n'
	yes 'abc@def' | tr '@' '\0' | head -c 999000
} >"$E2E_TMP/binary.scn"
garbage "1 MB of binary" "$E2E_TMP/binary.scn" 2 \
	"binary.scn:3:4: error: NUL byte: this does not look like a text file"

# Text that is not UTF-8 (Latin-1): one line, at the first bad byte.
printf 'title "caf\351"\ntik\ntik\n' >"$E2E_TMP/latin1.scn"
garbage "a Latin-1 file" "$E2E_TMP/latin1.scn" 2 \
	"latin1.scn:1:11: error: invalid UTF-8 byte 0xe9: this does not look like a text file"

# ---- dump through a symbolic link ------------------------------------------
lesson=$E2E_TMP/lesson
mkdir -p "$lesson" "$E2E_TMP/elsewhere"
printf 'precious' >"$lesson/victim"
ln -s victim "$lesson/link.txt"
printf 'title "dumps"\nconnect a\ntick\ndump beside.txt\ndump link.txt\n' >"$lesson/d.scn"
# From the lesson's directory, as the lesson is usually run.
(cd "$lesson" && timeout "$POLL_BOUND" "$EPOLLVIZ" --headless d.scn) >"$out" 2>"$err" </dev/null
status=$?
if [ "$(cat "$lesson/victim")" = precious ] && [ -L "$lesson/link.txt" ]; then
	ok "dump link.txt: the link's target is unchanged"
else
	fail "dump link.txt: the link's target is unchanged" "victim: $(head -c 60 "$lesson/victim" | cat -v)"
fi
if [ "$status" -eq 1 ] &&
	has "$out" "d.scn:5: error: cannot write link.txt: a symbolic link is in the way"; then
	ok "dump link.txt: an error with the lesson's file:line, exit 1"
else
	fail "dump link.txt: an error with the lesson's file:line, exit 1" "exit status $status"
	context "$out" 5
	context "$err" 5
fi
# From elsewhere: the files a lesson names are beside it.
rm -f "$lesson/beside.txt"
(cd "$E2E_TMP/elsewhere" && timeout "$POLL_BOUND" "$EPOLLVIZ" --headless ../lesson/d.scn) \
	>"$out" 2>"$err" </dev/null
if [ -f "$lesson/beside.txt" ] && [ ! -e "$E2E_TMP/elsewhere/beside.txt" ] &&
	[ ! -e "$E2E_TMP/elsewhere/link.txt" ] && [ "$(cat "$lesson/victim")" = precious ] &&
	has "$out" "../lesson/d.scn:5: error: cannot write link.txt: a symbolic link"; then
	ok "run from elsewhere, a lesson's dumps are beside the lesson, not in the current directory"
else
	fail "run from elsewhere, a lesson's dumps are beside the lesson, not in the current directory" \
		"lesson: $(ls "$lesson" | tr '\n' ' ')" "elsewhere: $(ls "$E2E_TMP/elsewhere" | tr '\n' ' ')"
	context "$out" 3
fi

e2e_finish
