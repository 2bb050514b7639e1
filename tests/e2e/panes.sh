#!/usr/bin/env bash
# tests/e2e/panes.sh - the explaining panes in a real terminal (tmux),
# as a class sees them:
#
#   a  the ET starvation lesson at 100x30, stepped to its second step: the
#      trace pane shows the tick's epoll_wait( and read( lines with their
#      results, strace-style; a few ticks later Tab gives the pane the
#      moving keys (the status line says so), PgUp brings the read back,
#      End the newest tick; the kernel view lists every fd of the running
#      program's /proc/PID/fdinfo/EPFD, each with its mask in words
#   b  the same lesson at 160x40: the code pane beside the connections
#      shows EPOLLET in ET and not after m, and its read loop changes when
#      b changes the budget; the read line is marked after the read
#
# Every wait polls the screen with a bound (lib.sh); no fixed sleeps.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

need_tmux
et_lesson

# mask_words HEX: the words the kernel view gives an fdinfo mask (as
# fdinfo_mask_words: ERR and HUP, which the kernel always adds, unsaid).
mask_words() {
	local m=$((16#$1)) w=() bit word
	for bit in 0x1:IN 0x2:PRI 0x4:OUT 0x2000:RDHUP 0x10000000:EXCLUSIVE 0x20000000:WAKEUP \
		0x80000000:ET 0x40000000:ONESHOT; do
		word=${bit#*:}
		((m & ${bit%%:*})) && w+=("$word")
	done
	if ((m & 0x40000000)) && ! ((m & 0x2007)); then
		echo "disarmed (one-shot fired)"
	else
		echo "${w[*]:--}"
	fi
}

# kernel_view_is_fdinfo S: every tfd line of the program's epoll fdinfo
# has its row in the kernel view (fd, then a name, then the mask in
# words), and the view has no other fd row.  Says what differs on stdout.
kernel_view_is_fdinfo() {
	local s=$1 pid epfd tfd ev rows=0 shown
	pid=$(ev_pid "$s") && [ -n "$pid" ] || { echo "no program running in $s"; return 1; }
	epfd=$(tmux_screen "$s" | sed -nE 's/.*kernel: epoll instance ([0-9]+) .*/\1/p' | head -n 1)
	[ -n "$epfd" ] || { echo "no 'kernel: epoll instance N' on the screen"; return 1; }
	[ -r "/proc/$pid/fdinfo/$epfd" ] || { echo "no /proc/$pid/fdinfo/$epfd"; return 1; }
	while read -r tfd ev; do
		rows=$((rows + 1))
		if ! tmux_screen "$s" | grep -qE "^ +$tfd [^ ].{13} $(mask_words "$ev")( |\$)"; then
			echo "fd $tfd (events $ev: $(mask_words "$ev")) has no row in the kernel view"
			return 1
		fi
	done < <(sed -nE 's/^tfd: *([0-9]+) events: *([0-9a-f]+) .*/\1 \2/p' "/proc/$pid/fdinfo/$epfd")
	shown=$(tmux_screen "$s" | sed -n '/kernel: epoll instance/,/^─/p' | grep -cE '^ +[0-9]+ [^ ]')
	if [ "$rows" -eq 0 ] || [ "$shown" != "$rows" ]; then
		echo "fdinfo lists $rows fds, the kernel view $shown"
		return 1
	fi
}

# ---- a: the trace pane and the kernel view at 100x30 --------------------------
if session a 100 30 && launch a "panes at 100x30" "" "-p 0 $SCN"; then
	if step_to a 2; then
		tmux_wait_for a '^t2  epoll_wait\([0-9]+, \[a IN\], [0-9]+, 0\) = 1$' \
			"trace at 100x30, step 2: 't2  epoll_wait(EPFD, [a IN], 256, 0) = 1'"
		tmux_wait_for a '^    read\([0-9]+ a, "abcdefghijklmnop", 16\) = 16$' \
			"trace at 100x30, step 2: 'read(FD a, \"abcdefghijklmnop\", 16) = 16' under it"
	else
		fail "panes at 100x30: space steps the lesson to its step 2"
		tmux_context a
	fi
	# The kernel view against the kernel, read by this script.
	if why=$(kernel_view_is_fdinfo a); then
		ok "kernel view: one row per tfd of /proc/PID/fdinfo/EPFD, each with its mask in words"
	else
		fail "kernel view: one row per tfd of /proc/PID/fdinfo/EPFD, each with its mask in words" "$why"
		tmux_context a
	fi
	# Ticks push the read out of the pane; Tab and PgUp bring it back.
	for _ in 1 2 3 4 5 6 7 8; do tmux_keys a t; done
	if tmux_wait a '  tick 10 *$' && ! tmux_has a '^    read\('; then
		tmux_keys a Tab
		tmux_wait_for a '^Tab connections +PgUp/PgDn j/k scroll' \
			"trace: Tab gives it the moving keys (the status line lists the trace's keys)"
		tmux_keys a PPage
		tmux_wait_for a '^    read\([0-9]+ a, "abcdefghijklmnop", 16\) = 16$' \
			"trace: PgUp scrolls back to the read of step 2"
		tmux_wait_for a 'End: newer below' "trace: scrolled back, its rule says newer lines are below"
		tmux_keys a End
		tmux_wait_for a '^t10 epoll_wait\(' "trace: End shows the newest tick again"
		tmux_keys a Tab
		tmux_wait_for a "$STATUS_RE" "trace: Tab again gives the keys back (the key line is back)"
	else
		fail "trace: eight ticks push the read of step 2 out of the pane"
		tmux_context a
	fi
	quit_asks a "panes at 100x30"
fi

# ---- b: the code pane at 160x40 ----------------------------------------------
if session b 160 40 && launch b "panes at 160x40" "" "-p 0 $SCN"; then
	if step_to b 2; then
		tmux_wait_for b 'the server loop \(et, budget 16' "code pane at 160x40: beside the connections, for ET and budget 16"
		tmux_wait_for b '│ +ev\.events = EPOLLIN \| EPOLLRDHUP \| EPOLLET;' \
			"code pane: EPOLLET in the connections' epoll_ctl line under ET"
		tmux_wait_for b '│ *▶ +r = read\(fd, buf, 16 - got\);' \
			"code pane: after the read of step 2, the read line is marked"
		tmux_keys b m
		if tmux_wait b 'the server loop \(lt, budget 16' && ! tmux_has b 'EPOLLET'; then
			ok "code pane: after m (LT) no line says EPOLLET"
		else
			fail "code pane: after m (LT) no line says EPOLLET"
			tmux_context b
		fi
		tmux_wait_for b '│ +while \(got < 16\) \{' "code pane: the read loop reads a budget of 16"
		tmux_keys b b
		if tmux_wait b '│ +while \(got < 64\) \{' && ! tmux_has b 'while \(got < 16\)'; then
			ok "code pane: b (budget 64) changes the read loop to 'while (got < 64)'"
		else
			fail "code pane: b (budget 64) changes the read loop to 'while (got < 64)'"
			tmux_context b
		fi
	else
		fail "panes at 160x40: space steps the lesson to its step 2"
		tmux_context b
	fi
	quit_asks b "panes at 160x40"
fi
stderr_empty a
stderr_empty b

e2e_finish
