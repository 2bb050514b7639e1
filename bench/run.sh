#!/usr/bin/env bash
# bench/run.sh - the table `make bench` prints: epollviz against a bare
# epoll server, measured side by side in one run.
#
#   make bench                      # or: bench/run.sh
#   make bench BENCH_QUICK=1        # a quick pass (about 40 s) that checks the tools
#   make bench BENCH_ONLY=keys      # section 3 alone (10-15 s), to repeat it
#
# Sections, each on loopback with bench/load (bounded in count and time):
#   1. throughput of 64 B messages, LT and ET, 100 and 1,000 connections,
#      1 and 16 messages per write: the bare server (bench/bare) and
#      `epollviz --headless` (stdout to /dev/null) alternate, BENCH_REPS
#      times each (default 3); medians, min-max and the ratio; CPU per
#      message from the server's /proc/PID/schedstat over the run;
#   2. idle CPU with 1,000 and 10,000 idle connections, and one client
#      sending 200 messages a second beside 10,000 idle ones: bare,
#      headless, and the terminal UI (in tmux, free play);
#   3. key-to-screen latency of the terminal UI in tmux: keys typed at the
#      prompt, alone and under a flood of 100 clients (skipped without tmux);
#   4. frame and tick cost (`epollviz --bench-frames`, its clients in a
#      child process) at 1,000, 9,000 and 10,000 connections, with the
#      defaults and with ET and a budget of 16 B; the tick with a tenth of
#      them sending, and with 10 sending;
#   5. closing 10,000 connections in the terminal UI: from the load's exit
#      until the screen counts none open.
#
# Environment: EPOLLVIZ, BENCH_DIR (bare and load), BENCH_QUICK,
# BENCH_REPS, BENCH_IDLE_SECONDS (default 5), BENCH_PRESSES (default 30),
# BENCH_FRAMES (default 30), BENCH_ONLY (the sections to run, by name,
# separated by commas or spaces: throughput, idle, keys, frames, close;
# e.g. `make bench BENCH_ONLY=keys` runs section 3 alone).  Figures are
# printed, never checked: the machines are shared, so read medians and
# ranges, and say when and where.
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/.." && pwd)
EPOLLVIZ=${EPOLLVIZ:-$top/epollviz}
BENCH_DIR=${BENCH_DIR:-$top/build/bench}
case $EPOLLVIZ in /*) ;; *) EPOLLVIZ=$top/${EPOLLVIZ#./} ;; esac
case $BENCH_DIR in /*) ;; *) BENCH_DIR=$top/${BENCH_DIR#./} ;; esac
BARE=$BENCH_DIR/bare
LOAD=$BENCH_DIR/load
QUICK=${BENCH_QUICK:-0}
[ "$QUICK" = 0 ] && QUICK=''
if [ -n "$QUICK" ]; then
	REPS=${BENCH_REPS:-1} IDLE_SECONDS=${BENCH_IDLE_SECONDS:-1}
	PRESSES=${BENCH_PRESSES:-5} FRAMES=${BENCH_FRAMES:-5}
	TOTAL1=20000 TOTAL16=200000 BIG=1000
else
	REPS=${BENCH_REPS:-3} IDLE_SECONDS=${BENCH_IDLE_SECONDS:-5}
	PRESSES=${BENCH_PRESSES:-30} FRAMES=${BENCH_FRAMES:-30}
	TOTAL1=200000 TOTAL16=2000000 BIG=10000
fi
ONLY=$(printf '%s' "${BENCH_ONLY:-}" | tr ',' ' ')
for w in $ONLY; do
	case $w in throughput | idle | keys | frames | close) ;;
	*) echo "bench: BENCH_ONLY: no section '$w' (throughput, idle, keys, frames, close)" >&2; exit 2 ;;
	esac
done
# want NAME: whether section NAME runs (every one without BENCH_ONLY).
want() {
	[ -z "$ONLY" ] && return 0
	case " $ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}
for f in "$EPOLLVIZ" "$BARE" "$LOAD"; do
	[ -x "$f" ] || { echo "bench: $f is missing: run make bench" >&2; exit 1; }
done

scratch=$(mktemp -d)
sock=epollviz-bench-$$
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	command -v tmux >/dev/null && tmux -L "$sock" kill-server 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# field NAME LINE: the value of NAME=value in a load/bare line.
field() {
	local w
	for w in $2; do
		case $w in "$1"=*) printf '%s\n' "${w#*=}"; return ;; esac
	done
}

# stats: numbers on stdin -> "median min max" (or "- - -" for none).
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR] }'
}

# rate N: 5490000 -> 5.49M, 586372 -> 586k.
rate() {
	awk -v x="$1" 'BEGIN { if (x == "-") print "-"; else if (x >= 1e6) printf "%.2fM\n", x / 1e6;
		else if (x >= 1e3) printf "%.0fk\n", x / 1e3; else printf "%.0f\n", x }'
}

# ---- the servers -------------------------------------------------------

# with_bare, with_headless, with_tui: bench/load against a server started
# fresh and ended after the run; each prints load's line.

# measure PID LOAD-ARGS...: bench/load against the server PID; prints
# load's line, or "load: failed ..." with its error.
measure() {
	local pid=$1 line
	shift
	line=$("$LOAD" --pid "$pid" "$@" 2>"$scratch/load.err") ||
		line=${line:-"load: failed $(tr '\n' ' ' <"$scratch/load.err")"}
	printf '%s\n' "$line"
}

# stop PID: ends a server started by this script.
stop() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

with_bare() { # MODE LOAD-ARGS...
	local mode=$1 pid
	shift
	"$BARE" --mode "$mode" --seconds 300 >"$scratch/bare.out" &
	pid=$!
	pids+=("$pid")
	measure "$pid" "$@"
	stop "$pid"
}

with_headless() { # MODE LOAD-ARGS...
	local mode=$1 pid
	shift
	"$EPOLLVIZ" --headless -p 0 --mode "$mode" --max-conns 30000 >/dev/null 2>"$scratch/viz.err" &
	pid=$!
	pids+=("$pid")
	measure "$pid" "$@"
	stop "$pid"
}

# tui_start: the terminal UI in a detached tmux terminal of 100x30, in
# free play (the menu closed); sets tui_pid.  Each start has a tmux
# server of its own: a new one on the socket of one being killed can die
# with it.  The count alone does not name it: starts in a $(...) subshell
# (the idle rows) count from the parent's value, so the subshell's pid
# is in the name too.
tuis=0
tui_start() {
	tuis=$((tuis + 1))
	sock=epollviz-bench-$$-$BASHPID-$tuis
	tmux -L "$sock" -f /dev/null new -d -x 100 -y 30 \
		"LC_ALL=C.UTF-8 TERM=xterm-256color exec '$EPOLLVIZ' -p 0 --max-conns 30000" || return 1
	sock_path=$(tmux -L "$sock" display -p '#{socket_path}')
	tui_pid=$(tmux -L "$sock" display -p '#{pane_pid}') &&
		tui_wait 'Esc free play' && tmux -L "$sock" send-keys Escape && tui_wait '^free play: try: nc'
}

# tui_wait REGEX: polls the screen until a line matches (bounded, 10 s).
tui_wait() {
	local i screen
	for ((i = 0; i < 1000; i++)); do
		screen=$(tmux -L "$sock" capture-pane -p 2>&1) || break
		grep -q -- "$1" <<<"$screen" && return 0
		sleep 0.01
	done
	echo "bench: the terminal UI never showed '$1'" >&2
	return 1
}

# tui_stop: ends it; tmux leaves its socket behind, so that goes too.
tui_stop() {
	tmux -L "$sock" kill-server 2>/dev/null
	[ -n "${sock_path:-}" ] && rm -f "$sock_path"
	sock_path=''
}

with_tui() { # LOAD-ARGS...
	tui_start || { echo "load: failed the terminal UI did not start"; tui_stop; return; }
	measure "$tui_pid" "$@"
	tui_stop
}

# ---- the table ---------------------------------------------------------

when=$(date -u '+%Y-%m-%d %H:%M UTC')
rev=$(cd "$top" && git describe --always --dirty 2>/dev/null || echo unknown)
echo "epollviz bench, $when, epollviz $rev"
echo "machine: nproc $(nproc), Linux $(uname -r), load average at start $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$QUICK" ] && echo "QUICK MODE: smaller counts, one repetition: figures only show the tools work"
echo

incomplete=0
have_tmux=''
command -v tmux >/dev/null && have_tmux=1
if want throughput; then
	echo "1. Throughput: 64 B messages (63 letters and a newline) to a server that reads until"
	echo "   EAGAIN and discards them; bare = bench/bare, epollviz = --headless > /dev/null."
	echo "   $REPS repetitions alternating bare / epollviz; medians (min-max); CPU per message"
	echo "   is the server's CPU time over the run.  1 msg/write: the load generator is the"
	echo "   bottleneck of the bare server (compare CPU per message there)."
	printf '%-4s %5s %5s %9s | %-21s %-21s %6s | %-9s %-9s %6s\n' mode conns msg/w messages \
		'bare msg/s' 'epollviz msg/s' ratio 'bare us' 'viz us' ratio
	for mode in lt et; do
		for conns in 100 1000; do
			for batch in 1 16; do
				total=$TOTAL1
				[ "$batch" = 16 ] && total=$TOTAL16
				per=$((total / conns))
				args=(--conns "$conns" --messages "$per" --batch "$batch" --seconds 60)
				: >"$scratch/bare.runs"
				: >"$scratch/viz.runs"
				for ((r = 0; r < REPS; r++)); do
					if ((r % 2 == 0)); then
						with_bare "$mode" "${args[@]}" >>"$scratch/bare.runs"
						with_headless "$mode" "${args[@]}" >>"$scratch/viz.runs"
					else
						with_headless "$mode" "${args[@]}" >>"$scratch/viz.runs"
						with_bare "$mode" "${args[@]}" >>"$scratch/bare.runs"
					fi
				done
				for who in bare viz; do
					grep -c 'complete=yes' "$scratch/$who.runs" >"$scratch/$who.ok"
					grep -q -v 'complete=yes' "$scratch/$who.runs" && {
						incomplete=$((incomplete + 1))
						grep -v 'complete=yes' "$scratch/$who.runs" | head -1 | sed "s/^/   $who: /" >>"$scratch/notes"
					}
					grep 'complete=yes' "$scratch/$who.runs" | while read -r l; do field msgs_per_s "$l"; done |
						stats >"$scratch/$who.rate"
					grep 'complete=yes' "$scratch/$who.runs" | while read -r l; do field server_us_per_msg "$l"; done |
						stats >"$scratch/$who.cpu"
				done
				read -r bm bl bh <"$scratch/bare.rate"
				read -r vm vl vh <"$scratch/viz.rate"
				read -r bc _ _ <"$scratch/bare.cpu"
				read -r vc _ _ <"$scratch/viz.cpu"
				ratio=$(awk -v a="$vm" -v b="$bm" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2fx\n", a / b }')
				cratio=$(awk -v a="$vc" -v b="$bc" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.1fx\n", a / b }')
				printf '%-4s %5s %5s %9s | %-21s %-21s %6s | %-9s %-9s %6s\n' \
					"$(echo "$mode" | tr a-z A-Z)" "$conns" "$batch" "$total" \
					"$(rate "$bm") ($(rate "$bl")-$(rate "$bh"))" \
					"$(rate "$vm") ($(rate "$vl")-$(rate "$vh"))" "$ratio" \
					"$(awk -v x="$bc" 'BEGIN { if (x == "-") print x; else printf "%.3f\n", x }')" \
					"$(awk -v x="$vc" 'BEGIN { if (x == "-") print x; else printf "%.3f\n", x }')" "$cratio"
			done
		done
	done
	if [ -s "$scratch/notes" ]; then
		echo "   runs that did not complete are left out of the medians:"
		cat "$scratch/notes"
	fi
	echo
fi
if want idle; then
	echo "2. Idle CPU: share of one core over ${IDLE_SECONDS} s, from the server's /proc/PID/schedstat."
	echo "   TUI = the terminal UI in free play in a 100x30 tmux terminal."
	printf '%-38s %9s %9s %9s\n' '' bare headless TUI
	idle_row() { # LABEL LOAD-ARGS...
		local label=$1 b h t
		shift
		b=$(with_bare lt "$@")
		h=$(with_headless lt "$@")
		if [ -n "$have_tmux" ]; then t=$(with_tui "$@"); else t='load: failed no tmux'; fi
		cell() {
			case $1 in
			*complete=yes*) printf '%.2f%%' "$(field server_cpu_pct "$1")" ;;
			*) printf 'failed'; printf '%s\n' "$1" | sed 's/^/   /' >>"$scratch/idle.notes" ;;
			esac
		}
		printf '%-38s %9s %9s %9s\n' "$label" "$(cell "$b")" "$(cell "$h")" "$(cell "$t")"
	}
	idle_row "1,000 idle connections" --conns 0 --idle 1000 --seconds "$IDLE_SECONDS"
	if [ -z "$QUICK" ]; then
		idle_row "10,000 idle connections" --conns 0 --idle 10000 --seconds "$IDLE_SECONDS"
		idle_row "200 msg/s client beside 10,000 idle" --conns 1 --rate 200 --idle 10000 --seconds "$IDLE_SECONDS"
	else
		idle_row "200 msg/s client beside 1,000 idle" --conns 1 --rate 200 --idle 1000 --seconds "$IDLE_SECONDS"
	fi
	[ -s "$scratch/idle.notes" ] && cat "$scratch/idle.notes"
	echo
fi
if want keys; then
	echo "3. Key to screen: the terminal UI in tmux (100x30, free play), $PRESSES keys typed at the"
	echo "   prompt 0.1 s apart, each timed from tmux send-keys until capture-pane shows it"
	echo "   (polled, about 5 ms a poll); floods as fast as the TUI reads.  The first row"
	echo "   bounds the measuring's own cost."
	# presses: types PRESSES keys at the prompt; prints one latency (ms) a line.
	presses() {
		local i want='' t0 t1 n
		tmux -L "$sock" send-keys : && tui_wait '^:$' || return 1
		for ((i = 1; i <= PRESSES; i++)); do
			want=${want}x
			t0=$EPOCHREALTIME
			tmux -L "$sock" send-keys -l x
			for ((n = 0; n < 2000; n++)); do
				tmux -L "$sock" capture-pane -p | grep -qx ":$want" && break
			done
			t1=$EPOCHREALTIME
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
			sleep 0.1 # typing speed: a key right after a frame waits for the next (30/s)
		done
		tmux -L "$sock" send-keys Escape
	}
	latency_row() { # LABEL
		local m l h
		read -r m l h < <(stats <"$scratch/lat")
		printf '   %-32s median %6s ms   min %6s ms   max %6s ms\n' "$1" "$m" "$l" "$h"
	}
	if [ -z "$have_tmux" ]; then
		echo "   skipped: tmux is not installed"
	else
		if tui_start && presses >"$scratch/lat"; then latency_row "nothing else happening"; else echo "   failed: see above"; fi
		tui_stop
		for batch in 1 16; do
			if tui_start; then
				rm -f "$scratch/started"
				"$LOAD" --pid "$tui_pid" --conns 100 --batch "$batch" --messages 1000000000 \
					--seconds 120 --started "$scratch/started" >/dev/null 2>"$scratch/flood.err" &
				flood=$!
				pids+=("$flood")
				for ((i = 0; i < 3000; i++)); do
					[ -e "$scratch/started" ] && break
					kill -0 "$flood" 2>/dev/null || break
					sleep 0.01
				done
				if [ -e "$scratch/started" ] && presses >"$scratch/lat"; then
					latency_row "100 clients flooding, $batch/write"
				else
					echo "   failed: $(cat "$scratch/flood.err")"
				fi
				kill "$flood" 2>/dev/null
				wait "$flood" 2>/dev/null
			fi
			tui_stop
		done
	fi
	echo
fi
if want frames; then
	echo "4. Frames: epollviz --bench-frames $FRAMES, a tenth of the clients sending each frame;"
	echo "   frame = build + draw into a terminal writing to /dev/null; the clients are a child"
	echo "   process (one descriptor per connection in each process).  The defaults (LT, reads"
	echo "   until EAGAIN), then ET with a budget of 16 B (every sender starves: TCP_INFO each)."
	echo "   bare: the same ticks without the instrument (an LT epoll set of its own over the"
	echo "   same sockets, reads until EAGAIN), measured last in the same run; then the tick's"
	echo "   ratio to it (the host moves both; the ratio says what the instrument adds)."
	hard=$(ulimit -Hn)
	frames_row() { # CONNS [KNOB OPTIONS]
		local out n=$1
		shift
		if ! out=$("$EPOLLVIZ" --bench-frames "$FRAMES" --bench-conns "$n" "$@" 2>&1); then
			printf '   %6s connections: %s\n' "$n" "$out"
			return
		fi
		printf '%s\n' "$out" | awk -v n="$n" '
			/^[0-9]+x[0-9]+,/ { size = $1; sub(",", "", size) }
			/frame \(build/ { frame[size] = $6 }
			/tick \(not/ { tick[size] = $8 }
			/tick, 10 sending/ { few[size] = $5 }
			/bare tick/ { bare = $4 }
			END { ratio = bare > 0 ? sprintf(", %.2fx", tick["100x30"] / bare) : ""
				printf "   %6s connections: frame median %s ms at 100x30, %s ms at 200x60; tick median %s ms (bare %s ms%s), %s ms with 10 sending\n",
				n, frame["100x30"], frame["200x60"], tick["100x30"], bare, ratio, few["100x30"] }'
	}
	big=$BIG
	if [ -z "$QUICK" ] && [ "$hard" != unlimited ] && ((big + 64 > hard)); then
		big=$(((hard - 64) / 1000 * 1000))
		echo "   (10,000 connections need $((BIG + 64)) descriptors in each process; the hard limit is $hard: $big instead)"
	fi
	for knobs in "" "--mode et --budget 16"; do
		echo "   ${knobs:-the defaults}:"
		# shellcheck disable=SC2086 # the knobs are words
		frames_row 1000 $knobs
		if [ -z "$QUICK" ]; then
			# shellcheck disable=SC2086
			frames_row 9000 $knobs
			# shellcheck disable=SC2086
			frames_row "$big" $knobs
		fi
	done
	echo
fi
if want close; then
	echo "5. Closing: the terminal UI in tmux (100x30, free play) holds $BIG idle connections, then"
	echo "   their client exits; time from its exit until the screen counts none open (polled)."
	close_row() {
		local t0 t1 i screen
		tui_start || { echo "   failed: the terminal UI did not start"; return; }
		if ! "$LOAD" --pid "$tui_pid" --conns 0 --idle "$BIG" --seconds 2 >/dev/null 2>"$scratch/close.err"; then
			echo "   failed: $(cat "$scratch/close.err")"
			return
		fi
		t0=$EPOCHREALTIME
		for ((i = 0; i < 2000; i++)); do
			screen=$(tmux -L "$sock" capture-pane -p) || break
			grep -q -- "connections 0 " <<<"$screen" && break
		done
		t1=$EPOCHREALTIME
		if grep -q -- "connections 0 " <<<"$screen"; then
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'
		else
			echo "   failed: the screen still counts open connections" >&2
		fi
	}
	if [ -z "$have_tmux" ]; then
		echo "   skipped: tmux is not installed"
	else
		: >"$scratch/close"
		for ((r = 0; r < REPS; r++)); do
			close_row >>"$scratch/close"
			tui_stop
		done
		read -r m l h < <(grep -E '^[0-9]+$' "$scratch/close" | stats)
		grep -v -E '^[0-9]+$' "$scratch/close"
		printf '   %s connections closed: all shown closed after median %s ms (min %s, max %s)\n' "$BIG" "$m" "$l" "$h"
	fi
	echo
fi
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$incomplete" = 0 ]
