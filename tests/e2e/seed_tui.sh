#!/usr/bin/env bash
# tests/e2e/seed_tui.sh - the lessons of the seed's claims run in the
# terminal UI: lesson 15 (the seed as written: accept single, the blocking
# fd) and lesson 16 (unread-ready at scale), each started at 100x30 in
# tmux and stepped with space to its end, the terminal showing every
# golden step (tests/golden/, made by --screens) line for line.
#
# Every wait polls the screen with a bound (lib.sh); no fixed sleeps.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
	fail "tmux is installed (make deps installs it)"
	e2e_finish
fi

# block FILE HEAD: the screen under the golden file's heading line HEAD.
block() {
	awk -v head="$2" '$0 == head { on = 1; next } /^=== step / || /^# / { on = 0 } on' "$1"
}

# shows_block S FILE HEAD: the terminal S shows that screen, line for line.
# shellcheck disable=SC2317 # run through poll_until
shows_block() {
	local scn
	scn=$E2E_TOP/scenarios/$(basename "$2" .txt).scn
	cmp -s <(tmux_screen "$1" | golden_normalise "$scn") <(block "$2" "$3")
}

# walk S LESSON: the lesson in session S, space after each screen (a step,
# or a page of a step's narration), every screen compared.
walk() {
	local s=$1 lesson=$2 gold=$GOLDEN_DIR/$2.txt head n=0 screens
	screens=$(grep -c '^=== step .* at 100x30' "$gold")
	session "$s" 100 30 || return
	launch "$s" "$lesson" '' "-p 0 scenarios/$lesson.scn" || return
	while IFS= read -r head; do
		[ "$n" = 0 ] || tmux_keys "$s" Space
		n=$((n + 1))
		if ! poll_until "$KEY_BOUND" shows_block "$s" "$gold" "$head"; then
			fail "$lesson: space to the golden '$head': the terminal shows it, line for line"
			block "$gold" "$head" >"$E2E_TMP/kept.txt"
			tmux_screen "$s" | golden_normalise "$E2E_TOP/scenarios/$lesson.scn" >"$E2E_TMP/shown.txt"
			diff "$E2E_TMP/kept.txt" "$E2E_TMP/shown.txt" | head -n 12 | sed 's/^/    /' | e2e_sanitize
			kill_leftover "$s"
			return
		fi
	done < <(grep '^=== step .* at 100x30' "$gold")
	ok "$lesson: space through its $screens screens (steps and narration pages): the terminal shows each golden screen at 100x30, line for line"
	kill_leftover "$s"
}

walk a 15-seed-as-written
walk b 16-unread-ready

e2e_finish
