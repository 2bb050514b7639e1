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

need_tmux

golden_walk a 15-seed-as-written
golden_walk b 16-unread-ready

e2e_finish
