#!/usr/bin/env bash
# tests/e2e/play.sh - autoplay in a real terminal (tmux): `--play 1` moves
# a lesson to its second step and on with no key pressed, the narration's
# rule saying it plays and the seconds to the next step; P pauses (the
# rule says so) and resumes; space still steps while paused; `--loop`
# starts the lesson again after its last step (at 2 s a step, so that a
# poll sees the last step's rule).  The option errors.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

lesson=scenarios/04-et-starvation.scn

s=play
if session "$s" 100 30 && launch "$s" "--play 1" "" "-p 0 --play 1 $lesson"; then
	tmux_wait_for "$s" 'step 1 of 5 [^ ]+ playing: next in 1 s' \
		"--play 1: the narration's rule says it plays and the seconds to the next step"
	tmux_wait_for "$s" 'step 2 of 5 ' "--play 1: the lesson reaches step 2 with no key pressed"
	tmux_wait_for "$s" 'step 3 of 5 ' "--play 1: and step 3"
	tmux_wait_for "$s" 'step 5 of 5 [^ ]+ end: r restarts' \
		"--play 1: without --loop the lesson stays at its end (the rule says it ended)"
	tmux_keys "$s" q
	after_exit "$s" "--play: q at the end" 0
	stderr_empty "$s"
fi

# Two seconds a step: time for each key below to land within a step.
s=loop
if session "$s" 100 30 && launch "$s" "--play 2 --loop" "" "-p 0 --play 2 --loop $lesson"; then
	tmux_keys "$s" P
	tmux_wait_for "$s" 'step 1 of 5 [^ ]+ paused: P plays' "P pauses autoplay (the rule says so)"
	tmux_keys "$s" Space
	tmux_wait_for "$s" 'step 2 of 5 [^ ]+ paused' "space still steps while paused"
	tmux_keys "$s" P
	tmux_wait_for "$s" 'step [23] of 5 [^ ]+ playing: next in' "P again resumes autoplay"
	tmux_wait_for "$s" 'step 5 of 5 [^ ]+ playing: again in [0-9]+ s' \
		"--loop: at the last step the rule says when it starts again"
	tmux_wait_for "$s" 'step 1 of 5 [^ ]+ playing: next in' "--loop: the lesson starts again by itself"
	quit_asks "$s" "--loop" || true
	stderr_empty "$s"
fi

check_error() {
	local what=$1 want=$2
	shift 2
	"$EPOLLVIZ" "$@" >/dev/null 2>"$E2E_TMP/err" </dev/null
	local rc=$?
	if [ "$rc" = 2 ] && has "$E2E_TMP/err" "$want"; then
		ok "$what: exit 2, says '$want'"
	else
		fail "$what: exit 2, says '$want' (exit $rc)" "$(cat "$E2E_TMP/err")"
	fi
}
check_error "--play 0" "--play: expected seconds per step from 1" --play 0 "$lesson"
check_error "--play without a lesson" "--play needs a SCENARIO" --play 2
check_error "--loop without --play" "give --play SECONDS too" --loop "$lesson"
check_error "--play --headless" "--play plays the terminal UI" --play 1 --headless "$lesson"

e2e_finish
