#!/usr/bin/env bash
# tests/e2e/seed_nc.sh - the seed use case with a real client, OpenBSD nc:
# `epollviz --headless --port P` serves, nc sends, the transcript shows
# the bytes escaped; then ET with a budget of 4 bytes strands bytes until
# the client sends again; SIGTERM ends each server cleanly.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

need_openbsd_nc

# nc_send PORT BYTES: one client that sends BYTES, shuts down its sending
# side (-N) and exits when the server closes (timeout bounds it; -q N
# would not help: it waits the N seconds even after the server closed).
# shellcheck disable=SC2059 # BYTES is a printf format on purpose
nc_send() {
	printf "$2" | timeout "$POLL_BOUND" nc -N 127.0.0.1 "$1" >"$E2E_TMP/nc.out" 2>&1
}

# label_of FILE FIXED-STRING: the connection label ("127.0.0.1:PORT") of
# the first transcript line "  LABEL: ..." containing the string.  Checks
# then follow that connection only: a stray connection from elsewhere on
# the machine must not make this test fail.
label_of() {
	grep -aF -- "$2" "$1" | head -n 1 | sed -nE 's/^  ([^ ]+): .*/\1/p'
}

# ---- level-triggered, drain: the seed server --------------------------
out=$E2E_TMP/lt.out err=$E2E_TMP/lt.err
if start_server "$out" "$err"; then
	what="lt server"
	if has_re "$out" "^epollviz: listening on 127\.0\.0\.1:$server_port "; then
		ok "$what: first line names 127.0.0.1:PORT"
	else
		fail "$what: first line names 127.0.0.1:$server_port" "$(head -n 1 "$out")"
	fi

	if nc_send "$server_port" 'hello epoll\n'; then
		ok "$what: nc sends 'hello epoll' and exits 0"
	else
		fail "$what: nc sends 'hello epoll' and exits 0 (status $?)"
		context "$E2E_TMP/nc.out"
	fi
	if wait_for "$out" '"hello epoll\n"'; then
		ok "$what: transcript shows the bytes escaped: \"hello epoll\\n\""
	else
		fail "$what: transcript shows \"hello epoll\\n\" within ${POLL_BOUND}s"
		context "$out"
	fi
	label=$(label_of "$out" '"hello epoll\n"')
	if wait_for "$out" "  $label: closed (end of stream: read returned 0), 12 B read"; then
		ok "$what: the connection ends at EOF with all 12 bytes read"
	else
		fail "$what: the connection ends at EOF with all 12 bytes read"
		context "$out"
	fi

	# A client must not be able to write control sequences to the screen.
	if nc_send "$server_port" '\033[2J\377\n'; then
		ok "$what: nc sends ESC [2J, byte 0xff and a newline"
	else
		fail "$what: nc sends ESC [2J, byte 0xff and a newline (status $?)"
		context "$E2E_TMP/nc.out"
	fi
	if wait_for "$out" '"\x1b[2J\xff\n"'; then
		ok "$what: escape sequence and invalid UTF-8 shown as \"\\x1b[2J\\xff\\n\""
	else
		fail "$what: escape sequence and invalid UTF-8 shown as \"\\x1b[2J\\xff\\n\""
		context "$out"
	fi
	label=$(label_of "$out" '"\x1b[2J\xff\n"')
	wait_for "$out" "  $label: closed (" >/dev/null
	stop_server "$server_pid" "$out" "$err" "$what"
	accepted=$(count "$out" "listener: accept() = connection #")
	if [ "$accepted" -ge 2 ] &&
		has_re "$out" "^epollviz: [0-9]+ epoll_wait calls, .* $accepted connections?\$"; then
		ok "$what: summary counts every accepted connection ($accepted)"
	else
		fail "$what: summary counts every accepted connection ($accepted)" "$(tail -n 1 "$out")"
	fi
	if only_printable "$out" && only_printable "$err"; then
		ok "$what: no raw ESC or other control/non-ASCII byte in the output"
	else
		fail "$what: no raw ESC or other control/non-ASCII byte in the output"
		grep -anv '^[[:print:]]*$' "$out" "$err" | head -n 5 | cat -v | sed 's/^/    | /'
	fi
fi

# ---- edge-triggered, 4 bytes per wakeup: starvation --------------------
# One nc stays connected, fed through a fifo, so that each line we write
# is a new arrival.  "hello epoll\n" is 12 bytes: the server reads 4 and
# the other 8 wait with no edge to come (STARVED).  Each 2-byte line that
# follows makes an edge; the server reads 4 more, so after 4 such lines
# all 20 bytes have been read, in order.
out=$E2E_TMP/et.out err=$E2E_TMP/et.err
if start_server "$out" "$err" --mode et --budget 4; then
	what="et budget 4"
	fifo=$E2E_TMP/nc.fifo
	mkfifo "$fifo"
	# If nc dies, a write to the fifo must fail, not kill this script.
	trap "" PIPE
	nc -N 127.0.0.1 "$server_port" <"$fifo" >"$E2E_TMP/nc-et.out" 2>&1 &
	nc_pid=$!
	e2e_pids+=("$nc_pid")
	exec 3>"$fifo"

	printf 'hello epoll\n' >&3
	if wait_for "$out" 'read(4) = 4 "hell"'; then
		ok "$what: the first wakeup reads 4 bytes: \"hell\""
	else
		fail "$what: the first wakeup reads 4 bytes: \"hell\""
		context "$out"
	fi
	label=$(label_of "$out" 'read(4) = 4 "hell"')
	if wait_for "$out" "  $label: STARVED since tick" &&
		has_re "$out" "^  $label: STARVED since tick [0-9]+: 8 B waiting"; then
		ok "$what: STARVED with 8 bytes waiting, instead of reading them"
	else
		fail "$what: STARVED with 8 bytes waiting, instead of reading them"
		context "$out"
	fi
	if [ "$(count "$out" "  $label: read(")" -eq 1 ]; then
		ok "$what: no other read while starved"
	else
		fail "$what: no other read while starved"
		context "$out"
	fi

	# Each new line is a new edge: the stranded bytes come out 4 at a time.
	for pair in '2\n:o ep' '3\n:oll\n' '4\n:2\n3\n' '5\n:4\n5\n'; do
		line=${pair%%:*} want=${pair#*:}
		# shellcheck disable=SC2059 # $line is a format on purpose
		printf "$line" >&3
		if wait_for "$out" "  $label: read(4) = 4 \"$want\""; then
			ok "$what: sending \"$line\" wakes the fd; it reads \"$want\""
		else
			fail "$what: sending \"$line\" wakes the fd; it reads \"$want\""
			context "$out"
			break
		fi
	done
	if wait_for "$out" "  $label: no longer starved"; then
		ok "$what: no longer starved once the last byte is read"
	else
		fail "$what: no longer starved once the last byte is read"
		context "$out"
	fi
	reads=$(grep -aF "  $label: read(" "$out" | sed -E 's/^.*read\(4\) = 4 "(.*)"$/\1/' | tr -d '\n')
	if [ "$reads" = 'hello epoll\n2\n3\n4\n5\n' ]; then
		ok "$what: every byte the client sent was read, in order (20 B)"
	else
		fail "$what: every byte the client sent was read, in order" \
			"expected: hello epoll\\n2\\n3\\n4\\n5\\n" "read:     $reads"
	fi

	# EOF: nc shuts down its side; FIN is an edge too, read() returns 0.
	exec 3>&-
	if wait_for "$out" "  $label: closed (end of stream: read returned 0), 20 B read"; then
		ok "$what: nc's EOF is seen; the connection closes after 20 B"
	else
		fail "$what: nc's EOF is seen; the connection closes after 20 B"
		context "$out"
	fi
	if wait_exit "$nc_pid" && [ "$exit_status" -eq 0 ]; then
		ok "$what: nc exits 0 once the server closes"
	else
		fail "$what: nc exits 0 once the server closes (status $exit_status)"
		context "$E2E_TMP/nc-et.out"
	fi
	stop_server "$server_pid" "$out" "$err" "$what"
fi

# --- a clock: --rate ticks whether or not epoll has events -------------
# 600 a second is not a whole number of milliseconds apart; 600 ticks take
# a second.  Only a lower bound on the time is checked: a slow machine
# makes it longer, never shorter.
what="rate 600"
out=$E2E_TMP/rate.out err=$E2E_TMP/rate.err
if start_server "$out" "$err" --rate 600; then
	t0=$(e2e_now_ms)
	if wait_for "$out" "tick 600: epoll_wait(0) = 0"; then
		ok "$what: empty ticks come from the clock, not from events"
		elapsed=$(($(e2e_now_ms) - t0))
		if [ "$elapsed" -ge 800 ]; then
			ok "$what: 600 ticks take about a second (${elapsed} ms), not less"
		else
			fail "$what: 600 ticks took only ${elapsed} ms: the clock runs fast"
		fi
	else
		fail "$what: no empty ticks from the clock"
		context "$out"
	fi
	printf 'tick tock\n' | nc -N 127.0.0.1 "$server_port" >/dev/null 2>&1
	if wait_for "$out" '"tick tock\n"'; then
		ok "$what: the client's bytes are read on a clock tick"
	else
		fail "$what: the client's bytes were not read"
		context "$out"
	fi
	stop_server "$server_pid" "$out" "$err" "$what"
fi

# --- starvation that begins between ticks is still reported ------------
# One-shot without re-arm: after the first wakeup nothing wakes epoll, so
# only the server's periodic look at the kernel can see bytes stranded.
what="oneshot, autorearm off"
out=$E2E_TMP/oneshot.out err=$E2E_TMP/oneshot.err
if start_server "$out" "$err" --mode oneshot --autorearm off; then
	fifo=$E2E_TMP/nc-oneshot.fifo
	mkfifo "$fifo"
	trap "" PIPE
	nc -N 127.0.0.1 "$server_port" <"$fifo" >/dev/null 2>&1 &
	nc_pid=$!
	e2e_pids+=("$nc_pid")
	exec 4>"$fifo"
	printf 'one\n' >&4
	if wait_for "$out" '"one\n"'; then
		ok "$what: the first bytes are read on the one event"
	else
		fail "$what: the first bytes were not read"
		context "$out"
	fi
	printf 'two\n' >&4
	if wait_for "$out" "STARVED since tick" && has "$out" "4 B waiting, one-shot already fired"; then
		ok "$what: bytes sent after the one event are reported STARVED"
	else
		fail "$what: no STARVED line for the bytes sent after the one event"
		context "$out"
	fi
	if ! has "$out" '"two\n"'; then
		ok "$what: and they are not read: nothing re-arms the fd"
	else
		fail "$what: the bytes were read although nothing re-armed the fd"
	fi
	exec 4>&-
	stop_server "$server_pid" "$out" "$err" "$what"
	if has "$out" "4 B were never read and are discarded (the server stopped)"; then
		ok "$what: at exit, the unread bytes are reported, not dropped silently"
	else
		fail "$what: at exit, the unread bytes were not reported"
		context "$out"
	fi
fi

e2e_finish
