#!/usr/bin/env bash
# tests/e2e/hostile.sh - what a hostile or careless input must not do:
#
#   - a megabyte of garbage as a scenario file: a screenful of errors (the
#     first 20, then "... and N more errors"), exit 2; a binary or a file
#     that is not UTF-8: one line saying so;
#   - a lesson's `dump` to a symbolic link planted beside it: the link's
#     target is left as it was, and the error names the lesson's file:line;
#     its other dumps land beside it, not in the current directory;
#   - headless free play whose stdout nobody reads (a FIFO held open,
#     never read): a flood of 3 MB fills it, and another client's line is
#     still read by the server within a second (its receive queue in `ss`
#     is 0); once stdout is read again, "[N lines dropped: output too
#     slow]", the new lines, and on SIGTERM the count in the summary.
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

# ---- stdout that nobody reads ----------------------------------------------
if ! command -v ss >/dev/null 2>&1 || ! nc -h 2>&1 | grep -q OpenBSD; then
	fail "ss and OpenBSD nc are installed (make deps installs them)"
	e2e_finish
fi
trap "" PIPE

# recvq PORT CLIENT-FD: the receive queue of the server's side of the
# connection this script holds open on CLIENT-FD (found by the socket's
# inode); empty if there is no such connection.
recvq() {
	local ino cport
	ino=$(readlink "/proc/$BASHPID/fd/$2" | tr -dc 0-9)
	cport=$(ss -tneH state established "( dport = :$1 )" |
		awk -v ino="ino:$ino" '{ for (i = 1; i <= NF; i++) if ($i == ino) { n = split($3, a, ":"); print a[n] } }')
	[ -n "$cport" ] || return 0
	ss -tnH state established "( sport = :$1 and dport = :$cport )" | awk '{ print $1; exit }'
}
# shellcheck disable=SC2317 # run through poll_until
recvq_zero() { [ "$(recvq "$1" "$2")" = 0 ]; }

fifo=$E2E_TMP/stdout.fifo
slow=$E2E_TMP/slow.out
mkfifo "$fifo"
exec 7<>"$fifo" # a reader that is there and does not read
for _ in 1 2 3 4 5; do
	port=$(pick_port)
	"$EPOLLVIZ" --headless --port "$port" >"$fifo" 2>"$err" </dev/null &
	pid=$!
	e2e_pids+=("$pid")
	# The header: two lines, read one byte at a time (bash's read on a pipe).
	line1='' line2=''
	read -r -t "$POLL_BOUND" -u 7 line1 && read -r -t "$POLL_BOUND" -u 7 line2
	[[ $line1 == *"listening on"* ]] && break
	wait_exit "$pid" 5
	has "$err" "in use" || break
done
if [[ $line1 == *"listening on 127.0.0.1:$port"* && $line2 == *"try: nc"* ]]; then
	ok "stdout into a FIFO that is not read: the server starts (header read)"
else
	fail "stdout into a FIFO that is not read: the server starts" "first lines: $line1 / $line2"
	context "$err"
	e2e_finish
fi

# 100 MB of NUL bytes: at least 1,526 reads (64 KiB at most each), each
# line showing 256 of them as \x00: over 1.5 MB of transcript, more than
# the FIFO (64 KiB) and the program's buffer (1 MiB) hold.
head -c 100000000 /dev/zero | nc -N 127.0.0.1 "$port" >/dev/null 2>&1 &
flood=$!
e2e_pids+=("$flood")
if wait_exit "$flood"; then
	ok "stdout not read: the flood is read to its end (nc finished)"
else
	fail "stdout not read: the flood is read to its end (nc finished within ${POLL_BOUND}s)"
fi
# Now stdout is full and stays so: another client comes.
exec 8<>"/dev/tcp/127.0.0.1/$port"
printf 'hello from b\n' >&8
if poll_until 1 recvq_zero "$port" 8; then
	ok "stdout not read, after a flood: b's line is read by the server within 1 s (receive queue 0)"
else
	fail "stdout not read, after a flood: b's line is read by the server within 1 s" \
		"receive queue of b's connection on the server: '$(recvq "$port" 8)'"
fi

# The reader comes back.
cat <&7 >"$slow" &
reader=$!
e2e_pids+=("$reader")
if wait_for "$slow" " dropped: output too slow]"; then
	ok "stdout read again: '$(grep -aoE '\[[0-9]+ lines? dropped: output too slow\]' "$slow" | head -n 1)'"
else
	fail "stdout read again: a line '[N lines dropped: output too slow]'"
	context "$slow" 3
fi
printf 'b again\n' >&8
if wait_for "$slow" '"b again\n"'; then
	ok "stdout read again: new lines are printed (b's next line)"
else
	fail "stdout read again: new lines are printed (b's next line)"
	context "$slow" 3
fi
exec 8>&-
kill -TERM "$pid" 2>/dev/null
wait_exit "$pid"
dropped=$(grep -aoE '\[[0-9]+ lines? dropped' "$slow" | tr -dc '0-9\n' | awk '{ n += $1 } END { print n + 0 }')
if [ "$exit_status" = 0 ] && wait_for "$slow" " dropped (output too slow)" &&
	has_re "$slow" "^epollviz: [0-9]+ epoll_wait calls, .*, $dropped lines? dropped \(output too slow\)\$"; then
	ok "SIGTERM: exit 0, and the summary says $dropped lines were dropped"
else
	fail "SIGTERM: exit 0, and the summary says how many lines were dropped ($dropped noticed)" \
		"exit status $exit_status"
	context "$slow" 3
fi
if [ ! -s "$err" ]; then
	ok "stdout not read: nothing on stderr"
else
	fail "stdout not read: nothing on stderr"
	context "$err"
fi
kill "$reader" 2>/dev/null
exec 7>&-

e2e_finish
