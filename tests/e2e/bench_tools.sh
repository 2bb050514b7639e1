#!/usr/bin/env bash
# tests/e2e/bench_tools.sh - the tools of `make bench` still work: the
# bare server and the load generator run tiny (a few connections, well
# under a second), print the lines the bench table reads, and their counts
# add up (bytes sent == bytes the server read).  Also: neither the load
# generator nor --bench-frames gives a figure for connections it could
# not open.  No timing is checked: benchmarks are run and quoted, never
# asserted.
#
#   BENCH_DIR=build/bench tests/e2e/bench_tools.sh
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

BENCH_DIR=${BENCH_DIR:-$E2E_TOP/build/bench}
case $BENCH_DIR in /*) ;; *) BENCH_DIR=$E2E_TOP/${BENCH_DIR#./} ;; esac
BARE=$BENCH_DIR/bare LOAD=$BENCH_DIR/load
if [ ! -x "$BARE" ] || [ ! -x "$LOAD" ]; then
	fail "the bench tools are built ($BARE, $LOAD: make test builds them)"
	e2e_finish
fi

num='[0-9]+'
dec='[0-9]+\.[0-9]+'
# The line the bench table reads, field by field.
load_re() { # CONNS IDLE BATCH MESSAGES BYTES
	echo "^load: conns=$1 idle=$2 size=64 batch=$3 messages=$4 bytes=$5 writes=$num seconds=$dec msgs_per_s=$num complete=yes clean=$1 reset=0 server_cpu_s=$dec server_cpu_pct=$dec( server_us_per_msg=$dec)? load_cpu_s=$dec\$"
}
bare_re="^bare: mode=(lt|et) conns=$num bytes=$num reads=$num wakeups=$num waits=$num seconds=$dec cpu_s=$dec\$"

# field NAME FILE: NAME=value from the file's last line.
field() { tail -n 1 "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

# bare_run MODE WHAT LOAD-ARGS...: a bare server stopping by itself once
# the load generator's connections are closed; sets bare_out, load_out.
bare_run() {
	local mode=$1 what=$2 pid
	shift 2
	bare_out=$E2E_TMP/bare-$mode-$what.out load_out=$E2E_TMP/load-$mode-$what.out
	"$BARE" --mode "$mode" --seconds "$POLL_BOUND" >"$bare_out" 2>&1 &
	pid=$!
	e2e_pids+=("$pid")
	if ! wait_for "$bare_out" "listening on"; then
		fail "bare --mode $mode says 'listening on'"
		context "$bare_out"
		return 1
	fi
	timeout "$POLL_BOUND" "$LOAD" --pid "$pid" "$@" >"$load_out" 2>&1
	local status=$?
	if ! wait_exit "$pid"; then
		fail "bare --mode $mode stops by itself once every connection closed"
		context "$bare_out"
		return 1
	fi
	if [ "$status" -ne 0 ]; then
		fail "load $* against bare --mode $mode exits 0 (status $status)"
		context "$load_out"
		return 1
	fi
}

# ---- a flood, LT and ET --------------------------------------------------
for mode in lt et; do
	if bare_run "$mode" flood --conns 3 --messages 50 --batch 4 --seconds 10; then
		what="flood of 3 x 50 messages, 4 a write, bare $mode"
		if has_re "$load_out" "$(load_re 3 0 4 150 9600)"; then
			ok "$what: load prints its line"
		else
			fail "$what: load prints its line" "expected: $(load_re 3 0 4 150 9600)"
			context "$load_out"
		fi
		if has_re "$bare_out" "^bare: listening on 127\.0\.0\.1:$num mode $mode\$" &&
			has_re "$bare_out" "$bare_re"; then
			ok "$what: bare prints its two lines"
		else
			fail "$what: bare prints its two lines" "expected: $bare_re"
			context "$bare_out"
		fi
		sent=$(field bytes "$load_out") got=$(field bytes "$bare_out")
		if [ -n "$sent" ] && [ "$sent" = "$got" ] && [ "$(field conns "$bare_out")" = 3 ]; then
			ok "$what: bytes sent ($sent) == bytes the server read, 3 connections"
		else
			fail "$what: bytes sent == bytes the server read" "sent '$sent', read '$got'"
			context "$bare_out"
		fi
	fi
done

# ---- paced, beside idle connections ----------------------------------------
if bare_run lt paced --conns 1 --rate 200 --idle 2 --seconds 0.3; then
	what="200 msg/s for 0.3 s beside 2 idle connections"
	sent=$(field messages "$load_out")
	if has_re "$load_out" "$(load_re 1 2 1 "$num" "$num")" && [ "${sent:-0}" -gt 0 ]; then
		ok "$what: load prints its line ($sent messages)"
	else
		fail "$what: load prints its line" "expected: $(load_re 1 2 1 N N)"
		context "$load_out"
	fi
	got=$(field bytes "$bare_out")
	if [ "$((${sent:-0} * 64))" = "$got" ] && [ "$(field conns "$bare_out")" = 3 ]; then
		ok "$what: messages sent x 64 == bytes the server read, 3 connections"
	else
		fail "$what: messages sent x 64 == bytes the server read" "sent '$sent' messages, read '$got' B"
		context "$bare_out"
	fi
fi

# ---- no figure for what was not done -------------------------------------
# epollviz refuses connections beyond --max-conns: the load generator
# must say so and exit 1 rather than measure fewer connections.
out=$E2E_TMP/limit.out err=$E2E_TMP/limit.err
if start_server "$out" "$err" --max-conns 2; then
	timeout "$POLL_BOUND" "$LOAD" --pid "$server_pid" --conns 0 --idle 4 --seconds 0.2 \
		>"$E2E_TMP/limit-load.out" 2>&1
	status=$?
	if [ "$status" = 1 ] && has "$E2E_TMP/limit-load.out" "connection limit" &&
		! has "$E2E_TMP/limit-load.out" "server_cpu"; then
		ok "load against --max-conns 2 with 4 connections: exit 1, says why, no figure"
	else
		fail "load against --max-conns 2 with 4 connections: exit 1, says why, no figure" \
			"status $status"
		context "$E2E_TMP/limit-load.out"
	fi
	kill "$server_pid" 2>/dev/null
	wait_exit "$server_pid"
fi

# --bench-frames with more connections than descriptors allow (a hard
# limit of 256 in a subshell): an error naming the limit, no figure.
out=$E2E_TMP/frames-limit.out
(ulimit -n 256 && exec timeout "$POLL_BOUND" "$EPOLLVIZ" --bench-frames 1 --bench-conns 500) >"$out" 2>&1
status=$?
if [ "$status" = 1 ] && has "$out" "file descriptors" && ! has "$out" "median"; then
	ok "--bench-frames 500 connections under a limit of 256 descriptors: exit 1, says why, no figure"
else
	fail "--bench-frames 500 connections under a limit of 256 descriptors: exit 1, says why" "status $status"
	context "$out"
fi
# Within the limit it measures what it was asked for.
out=$E2E_TMP/frames.out
timeout "$POLL_BOUND" "$EPOLLVIZ" --bench-frames 2 --bench-conns 20 >"$out" 2>&1
exits_saying "--bench-frames 2 --bench-conns 20 measures 20 connections, and the same ticks bare" $? 0 "$out" \
	"100x30, 20 connections, 2 frames:" "frame (build + draw)" "bare tick"

# A budget leaves bytes unread: the bare ticks still read exactly what is
# sent to them (they read the leftovers first, untimed).
out=$E2E_TMP/frames-budget.out
timeout "$POLL_BOUND" "$EPOLLVIZ" --bench-frames 3 --bench-conns 20 --mode et --budget 4 >"$out" 2>&1
exits_saying "--bench-frames with a budget that leaves bytes unread: the bare ticks measured" $? 0 "$out" "bare tick"

# The clients live in a child process: each process holds one end of each
# connection, so 150 of them fit under a limit of 256 (both ends in one
# process would need 300), and the tick with few clients sending is said.
out=$E2E_TMP/frames-child.out
(ulimit -n 256 && exec timeout "$POLL_BOUND" "$EPOLLVIZ" --bench-frames 2 --bench-conns 150) >"$out" 2>&1
exits_saying "--bench-frames 150 connections under a limit of 256 descriptors: measured (clients in a child)" $? 0 \
	"$out" "100x30, 150 connections, 2 frames:" "tick, 10 sending"
e2e_finish
