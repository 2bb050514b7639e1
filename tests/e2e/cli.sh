#!/usr/bin/env bash
# tests/e2e/cli.sh - the command line: each bad option gets one clear line
# on stderr and a non-zero exit; --help and --version; a port in use; a
# malformed scenario is reported line by line and nothing is run.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

out=$E2E_TMP/out err=$E2E_TMP/err

# run ARGS...: epollviz with no stdin, bounded; sets $status.
run() {
	timeout "$POLL_BOUND" "$EPOLLVIZ" "$@" >"$out" 2>"$err" </dev/null
	status=$?
}

lines() { if [ -s "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# usage_error WHAT MUST-CONTAIN ARGS...: exit non-zero, stdout empty,
# exactly one printable line on stderr that starts "epollviz: " and
# contains MUST-CONTAIN (the option or the value at fault).
usage_error() {
	local what=$1 needle=$2
	shift 2
	run "$@"
	local why=()
	[ "$status" -ne 0 ] || why+=("exit status is 0")
	[ "$status" -ne 124 ] || why+=("timed out")
	[ ! -s "$out" ] || why+=("stdout is not empty")
	[ "$(lines "$err")" -eq 1 ] || why+=("stderr has $(lines "$err") lines, not 1")
	has_re "$err" '^epollviz: ' || why+=("stderr does not start with 'epollviz: '")
	has "$err" "$needle" || why+=("stderr does not mention '$needle'")
	only_printable "$err" || why+=("stderr has control or non-ASCII bytes")
	if [ ${#why[@]} -eq 0 ]; then
		ok "$what: one line on stderr, exit $status"
	else
		fail "$what: one clear line on stderr and a non-zero exit" \
			"command: epollviz $*" "${why[@]}" "exit status: $status"
		context "$err" 5
	fi
}

usage_error "unknown long option" "'--bogus'" --bogus
usage_error "unknown short option" "'-x'" -x
usage_error "--mode xx" "'xx'" --headless --mode xx
usage_error "--budget 0" "--budget" --headless --budget 0
usage_error "--port 70000" "'70000'" --headless --port 70000
usage_error "--port without a value" "--port" --headless --port
usage_error "-p without a value" "-p" --headless -p
usage_error "two scenario arguments" "'b.scn'" --headless a.scn b.scn
usage_error "a value for a flag" "--headless takes no value" --headless=1
usage_error "a value for --commands" "--commands takes no value" --commands=x
usage_error "an ambiguous abbreviation" "'--m'" --m
usage_error "--screens below 60x18" "--screens" --screens 100x30,59x18 x.scn
usage_error "--screens malformed" "'100x30;80x24'" --screens '100x30;80x24' x.scn
usage_error "--screens without a scenario" "--screens needs a SCENARIO" --screens 100x30

# A missing scenario is reported like a malformed one: FILE: error: ...,
# then the count of errors.
run --headless "$E2E_TMP/no-such-file.scn"
if [ "$status" -ne 0 ] && [ "$status" -ne 124 ] && [ ! -s "$out" ] &&
	has "$err" "$E2E_TMP/no-such-file.scn: error: cannot open" && only_printable "$err"; then
	ok "a scenario that does not exist: 'FILE: error: cannot open', exit $status"
else
	fail "a scenario that does not exist: 'FILE: error: cannot open', non-zero exit" \
		"exit status: $status"
	context "$err" 5
fi

run --help
if [ "$status" -eq 0 ] && has "$out" "--headless" && [ ! -s "$err" ]; then
	ok "--help exits 0 and mentions --headless"
else
	fail "--help exits 0 and mentions --headless (status $status)"
	context "$out" 5
	context "$err" 5
fi

run --version
if [ "$status" -eq 0 ] && [ "$(cat "$out")" = "epollviz 0.1.0" ] && [ ! -s "$err" ]; then
	ok "--version prints 'epollviz 0.1.0'"
else
	fail "--version prints 'epollviz 0.1.0' (status $status)"
	context "$out" 5
	context "$err" 5
fi

# ---- a port in use -----------------------------------------------------
srv_out=$E2E_TMP/first.out srv_err=$E2E_TMP/first.err
if start_server "$srv_out" "$srv_err"; then
	port=$server_port first=$server_pid
	for mode in server scenario; do
		if [ "$mode" = server ]; then
			run --headless --port "$port"
		else
			printf 'connect a\ntick 2\n' >"$E2E_TMP/tiny.scn"
			run --headless --port "$port" "$E2E_TMP/tiny.scn"
		fi
		if [ "$status" -ne 0 ] && [ "$status" -ne 124 ] && [ "$(lines "$err")" -eq 1 ] &&
			has "$err" "in use" && has "$err" "$port" && only_printable "$err"; then
			ok "port in use ($mode): exit $status, one line naming the port 'in use'"
		else
			fail "port in use ($mode): non-zero exit, one line naming the port 'in use'" \
				"command: epollviz --headless --port $port" "exit status: $status"
			context "$err" 5
		fi
	done
	if alive "$first"; then
		ok "port in use: the first server is unaffected"
	else
		fail "port in use: the first server is unaffected"
		context "$srv_err"
	fi
	stop_server "$first" "$srv_out" "$srv_err" "port in use: the first server"
fi

# ---- a malformed scenario ----------------------------------------------
# Valid lines (connect, send, tick) around bad ones: nothing may run, and
# each bad line is reported at its own line:column.  Columns count
# characters, not bytes (line 9 has a two-byte e-acute before the error).
bad=$E2E_TMP/malformed.scn
printf '%s\n' \
	'title "malformed on purpose"' \
	'connect a' \
	'send b 10' \
	'mode xx' \
	'  tick -3' \
	'send a 64' \
	'frobnicate 3' \
	'say "unterminated' \
	$'say "h\303\251llo" extra' \
	'tick 2' \
	'expect a pending >> 3' \
	'connect a' >"$bad"
expected="3:6 4:6 5:8 7:1 8:5 9:13 11:18 12:9"
run --headless "$bad"
got=''
while IFS= read -r l; do
	case $l in
	"$bad:"*": error: "*)
		l=${l#"$bad:"}
		got="$got${got:+ }${l%%: error: *}"
		;;
	esac
done <"$err"
if [ "$status" -eq 2 ]; then
	ok "malformed scenario: exit status 2"
else
	fail "malformed scenario: exit status 2 (got $status)"
	context "$err"
fi
if [ "$got" = "$expected" ]; then
	ok "malformed scenario: one FILE:LINE:COL: error: line per bad line ($expected)"
else
	fail "malformed scenario: one FILE:LINE:COL: error: line per bad line" \
		"expected: $expected" "got:      $got"
	context "$err" 15
fi
nerr=$(grep -acE ': error: ' "$err")
if [ "$nerr" -eq 8 ] && has "$err" "8 errors, nothing was run"; then
	ok "malformed scenario: 8 errors, and it says nothing was run"
else
	fail "malformed scenario: 8 errors, and it says nothing was run" "error lines: $nerr"
	context "$err" 15
fi
if ! has_re "$out" '^tick ' && ! has "$out" "client a"; then
	ok "malformed scenario: nothing was run (no tick, no client on stdout)"
else
	fail "malformed scenario: nothing was run (no tick, no client on stdout)"
	context "$out"
fi

# A file name is shown escaped too: scenario files travel between teachers.
odd=$E2E_TMP/$'odd\e[7mname.scn'
printf 'tick\ntik\n' >"$odd"
run --headless "$odd"
if [ "$status" -eq 2 ] && only_printable "$err" && has "$err" 'odd\x1b[7mname.scn:2:1: error:'; then
	ok "a file name with an escape sequence is shown escaped in errors"
else
	fail "a file name with an escape sequence is shown escaped in errors (status $status)"
	context "$err"
fi
printf 'title "odd"\ntick\n' >"$odd"
run --headless "$odd"
if [ "$status" -eq 0 ] && only_printable "$out" && has "$out" 'scenario: '; then
	ok "a file name with an escape sequence is shown escaped in the transcript"
else
	fail "a file name with an escape sequence is shown escaped in the transcript (status $status)"
	context "$out"
fi

usage_error "--rate with a headless scenario" "--rate" --headless --rate 5 "$odd"

# ---- --screens: each step, at each size; the status of the expects -----
printf 'title "two steps"\nconnect a\nsend a 5\nstep\ntick\nexpect a pending 1\n' >"$E2E_TMP/two.scn"
run --screens 60x18,70x20 "$E2E_TMP/two.scn"
heads=$(grep -E '^=== ' "$out" | tr '\n' ' ')
want='=== step 1 of 2 at 60x18 === === step 1 of 2 at 70x20 === === step 2 of 2 at 60x18 === === step 2 of 2 at 70x20 === '
if [ "$status" -eq 1 ] && [ "$heads" = "$want" ] && [ "$(wc -l <"$out")" -eq $((4 + 18 + 20 + 18 + 20)) ] &&
	has "$out" '✗ expect a pending 1' && [ ! -s "$err" ]; then
	ok "--screens: each step at each size, in order, each screen its rows long; exit 1 when an expect failed"
else
	fail "--screens: each step at each size, in order; exit 1 when an expect failed" \
		"exit status $status" "=== lines: $heads"
	context "$out" 8
	context "$err" 5
fi

# ---- dump FILE [COLSxROWS], headless -----------------------------------
# Without a size, the screen of a 100x30 terminal; with one, that size.
# The scenario and its screens share a directory, run from there.
dumps=$E2E_TMP/dumps
mkdir -p "$dumps"
printf 'title "dumps"\nconnect a\nsend a 10\ntick 2\ndump plain.txt\ndump small.txt 60x18\n' >"$dumps/d.scn"
(cd "$dumps" && timeout "$POLL_BOUND" "$EPOLLVIZ" --headless d.scn) >"$out" 2>"$err" </dev/null
status=$?
# size FILE: its widest row in columns x its rows.
size() { echo "$(LC_ALL=C.UTF-8 wc -L <"$1")x$(wc -l <"$1")"; }
if [ "$status" -eq 0 ] && [ "$(size "$dumps/plain.txt")" = 100x30 ] &&
	[ "$(size "$dumps/small.txt")" = 60x18 ] && has_re "$dumps/small.txt" '^▶ a '; then
	ok "headless dump: 100x30 without a size, 60x18 when asked (the widest row, the rows)"
else
	fail "headless dump: 100x30 without a size, 60x18 when asked" "exit status $status" \
		"plain.txt: $(size "$dumps/plain.txt" 2>&1)" "small.txt: $(size "$dumps/small.txt" 2>&1)"
	context "$err" 5
fi
# The panes as the terminal shows them: the trace's calls (a's read, as
# strace words it) and the kernel view; --panes chooses, as in the TUI.
if grep -qE '^t2  epoll_wait\([0-9]+, \[a IN\], [0-9]+, 0\) = 1' "$dumps/plain.txt" &&
	grep -qE '^ +read\([0-9]+ a, "[^"]+", [0-9]+\) = 10$' "$dumps/plain.txt" &&
	has "$dumps/plain.txt" "kernel: epoll instance"; then
	ok "headless dump: the trace pane (t2's epoll_wait and a's read of 10) and the kernel view, as on screen"
else
	fail "headless dump: the trace pane (t2's epoll_wait and a's read of 10) and the kernel view, as on screen"
	context "$dumps/plain.txt" 30
fi
(cd "$dumps" && timeout "$POLL_BOUND" "$EPOLLVIZ" --headless --panes kernel d.scn) >"$out" 2>"$err" </dev/null
if [ $? -eq 0 ] && ! has "$dumps/plain.txt" "epoll_wait(" && has "$dumps/plain.txt" "kernel: epoll instance"; then
	ok "headless dump: --panes kernel shows the kernel view and no trace"
else
	fail "headless dump: --panes kernel shows the kernel view and no trace"
	context "$dumps/plain.txt" 30
fi
printf 'dump small.txt 59x18\ndump small.txt 80by24\n' >"$dumps/bad.scn"
(cd "$dumps" && timeout "$POLL_BOUND" "$EPOLLVIZ" --headless bad.scn) >"$out" 2>"$err" </dev/null
status=$?
if [ "$status" -eq 2 ] && has "$err" "bad.scn:1:16: error: expected a size COLSxROWS from 60x18 to 1000x500, found '59x18'" &&
	has "$err" "bad.scn:2:16: error: expected a size COLSxROWS from 60x18 to 1000x500, found '80by24'"; then
	ok "headless dump: a size below 60x18 or malformed is an error at its line and column, exit 2"
else
	fail "headless dump: a size below 60x18 or malformed is an error at its line and column, exit 2" \
		"exit status $status"
	context "$err" 5
fi

e2e_finish
