#!/usr/bin/env bash
# tests/e2e/strace.sh - `expect server syscalls` is what the kernel saw.
#
# Every lesson runs headless under strace, with `expect server syscalls >= 0`
# added before each `step` line and at the end: each such line prints the
# count the program keeps ("... (server syscalls is 32)").  From the trace,
# this script counts the calls made on the taught server's own descriptors
# up to the write() of that line, and the two must be equal at every point.
#
# Why a full trace and not `strace -c`: the same process runs the scenario's
# clients (connect, sendto, close on their own sockets) and the instrument's
# kernel samples, so the server's calls are told apart by descriptor:
#   - the server's fds are the epoll instances made with epoll_create1
#     (the instrument's own set, src/watch.c, is made with epoll_create so
#     that it is not one of them: it is not traced, so neither are its
#     epoll_ctl and epoll_wait), the socket given to listen(),
#     what accept4 returns and the spare descriptor (open of /dev/null);
#     a close removes one, so a number a client socket reuses is not the
#     server's;
#   - counting starts at listen() (setting up is not counted: see the top
#     of src/server.c), and takes epoll_wait, epoll_ctl, epoll_create1,
#     read, accept4, close, open, sendto and setsockopt on those fds.
# getsockopt is not traced: the instrument's TCP_INFO and SO_RCVBUF reads use
# it on the same fds; the server's own (is a peer gone, at a connection
# limit) never happens in a lesson.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# Every epoll_ctl of the server goes through its one counting helper.
n=$(grep -c 'epoll_ctl(' "$E2E_TOP/src/server.c")
if [ "$n" -eq 1 ]; then
	ok "src/server.c calls epoll_ctl in one place, the helper that counts it"
else
	fail "src/server.c calls epoll_ctl in one place, the helper that counts it ($n found)" \
		"$(grep -n 'epoll_ctl(' "$E2E_TOP/src/server.c" | head -n 5)"
fi

if ! command -v strace >/dev/null 2>&1; then
	echo "# strace.sh: skipped: strace is not installed (tools/deps.sh test installs it)"
	e2e_finish
fi
if ! strace -o /dev/null true >/dev/null 2>&1; then
	echo "# strace.sh: skipped: strace cannot trace here (ptrace not permitted)"
	e2e_finish
fi

SCENARIOS=${SCENARIO_DIR:-$E2E_TOP/scenarios}
CALLS=listen,epoll_create1,epoll_wait,epoll_pwait,epoll_ctl,read,accept,accept4,close,open,openat,sendto,setsockopt,write

# with_markers SCN OUT: SCN with the expect line before each step and at
# the end.
with_markers() {
	awk '/^[[:space:]]*step([[:space:]#]|$)/ { print "expect server syscalls >= 0" }
		{ print } END { print "expect server syscalls >= 0" }' "$1" >"$2"
}

# server_counts TRACE: for each marker, "STRACE PROGRAM" on a line.
server_counts() {
	awk '
	{
		sub(/^[0-9]+ +/, "")           # the pid strace -f puts first
		if (!match($0, /^[a-z_0-9]+\(/)) next
		name = substr($0, 1, RLENGTH - 1)
		first = substr($0, RLENGTH + 1)
		sub(/[,)].*/, "", first)
		ret = ""
		if (match($0, / = -?[0-9]+/)) ret = substr($0, RSTART + 3, RLENGTH - 3) + 0
	}
	name == "epoll_create1" {
		if (listening) n++
		if (ret >= 0) fd[ret] = 1
		next
	}
	name == "listen" { fd[first] = 1; listening = 1; next }
	!listening { next }
	name == "write" && first == 1 && match($0, /server syscalls is [0-9]+/) {
		print n, substr($0, RSTART + 19, RLENGTH - 19)
		next
	}
	name == "write" { next }
	(name == "openat" || name == "open") && index($0, "\"/dev/null\"") {
		n++
		if (ret >= 0) fd[ret] = 1
		next
	}
	(first in fd) {
		n++
		if ((name == "accept4" || name == "accept") && ret >= 0) fd[ret] = 1
		if (name == "close") delete fd[first]
	}' "$1"
}

# check NAME SCN [OPTION...]: one headless run of SCN under strace; the
# counts must agree at every marker.
check() {
	local name=$1 scn=$2
	shift 2
	local copy=$E2E_TMP/$name.scn trace=$E2E_TMP/$name.trace out=$E2E_TMP/$name.out
	local counts=$E2E_TMP/$name.counts markers points bad last status
	with_markers "$scn" "$copy"
	markers=$(grep -c '^expect server syscalls' "$copy")
	# LeakSanitizer cannot work under ptrace (make check): leaks are the
	# other tests' business.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		timeout 60 strace -f -o "$trace" -s 256 -e trace="$CALLS" \
		"$EPOLLVIZ" --headless "$@" "$copy" >"$out" 2>"$E2E_TMP/$name.err"
	status=$?
	if [ "$status" -ne 0 ]; then
		fail "$name under strace: exit status $status (0 expected)"
		context "$out"
		context "$E2E_TMP/$name.err"
		return
	fi
	server_counts "$trace" >"$counts"
	points=$(wc -l <"$counts")
	bad=$(awk '$1 != $2' "$counts")
	last=$(tail -n 1 "$counts")
	if [ "$points" -eq "$markers" ] && [ -z "$bad" ] && [ "${last%% *}" -gt 0 ]; then
		ok "$name: expect server syscalls equals strace's count at all $points points (${last%% *} at the end)"
	else
		fail "$name: expect server syscalls equals strace's count of the server's calls" \
			"strace, program at each point: $(tr '\n' ';' <"$counts")" \
			"($points points found for $markers expect lines; trace: ${trace#"$E2E_TOP"/})"
	fi
}

nlessons=0
for scn in "$SCENARIOS"/*.scn; do
	[ -e "$scn" ] || continue
	nlessons=$((nlessons + 1))
	check "$(basename "$scn" .scn)" "$scn"
done
[ "$nlessons" -gt 0 ] || fail "lessons found in ${SCENARIOS#"$E2E_TOP"/}"

# Paths no lesson takes: twin on over open connections (ADD each) and
# through mode switches (MOD each), rcvbuf on the listener and on an
# accepted socket, refusals at --max-per-peer (send, close), re-arming,
# drain, reads of 0 ignored, drop, twin off (close).  No connection is
# accepted in the tick that refuses, so no getsockopt is made (see above).
cat >"$E2E_TMP/tour.in" <<'EOF'
title "every call the server makes"
connect a
connect b
tick
send a 100
tick
twin on
send a 40
tick 2
step
rcvbuf 8192
connect c
tick
connect d 2
tick
expect listener rejected 2
step
mode et
send b 30
tick 2
mode oneshot
autorearm off
send a 10
tick 2
rearm a
rearm listener
tick
drain b
eof ignore
shutdown a
tick 2
expect a eofreads 1
step
eof close
mode lt
tick 2
send b 20
drop b
twin off
close c
tick 2
expect server conns 0
EOF
check tour "$E2E_TMP/tour.in" --max-per-peer 3

e2e_finish
