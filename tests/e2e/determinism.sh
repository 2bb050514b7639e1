#!/usr/bin/env bash
# tests/e2e/determinism.sh - what the README promises ("Running it
# headless"): a scenario run twice headless prints the same transcript
# byte for byte, apart from the one
# line that names the (free, so different) port: the first line,
# "epollviz: listening on 127.0.0.1:PORT ...".  The two runs go at once,
# and the own scenario closes a group of 200 and sends more than a client's
# socket buffer holds, where timing could leak into the transcript.
#
# Runs every scenarios/*.scn (SCENARIO_DIR overrides the directory), plus
# a small scenario of its own so that the check itself is exercised even
# while scenarios/ is empty.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

dir=${SCENARIO_DIR:-$E2E_TOP/scenarios}
case $dir in /*) ;; *) dir=$E2E_TOP/$dir ;; esac

own=$E2E_TMP/own-et-starvation.scn
cat >"$own" <<'EOF'
title "determinism self-check: ET starvation and a rescue"
mode et
budget 16
connect a
connect g 3
send a 64
send g "three clients\n"
tick 3
expect a starved
step
send a 1
tick
mode lt
tick 4
expect a not starved
close g
tick 2
step
connect w 200
connect big
tick
budget 1000
send big 60000
send w 10
tick 3
budget drain
tick 2
close w
shutdown big
tick 3
expect server conns 0
EOF

# port_lines FILE PORT: lines after the first that contain PORT as a number.
port_lines() {
	tail -n +2 "$1" | grep -anE "(^|[^0-9])$2([^0-9]|$)" | head -n 5
}

# first_port FILE: the port named by the first line, or nothing.
first_port() {
	head -n 1 "$1" | sed -nE 's/^epollviz: listening on 127\.0\.0\.1:([0-9]+) .*/\1/p'
}

shopt -s nullglob
for scn in "$dir"/*.scn "$own"; do
	name=${scn#"$E2E_TOP"/}
	[ "$scn" = "$own" ] && name="own scenario (${own##*/})"
	base=$E2E_TMP/$(basename "$scn" .scn)
	# Both runs at once: a loaded machine must not change the transcript.
	for i in 1 2; do
		{
			timeout 120 "$EPOLLVIZ" --headless "$scn" >"$base.$i.out" 2>"$base.$i.err" </dev/null
			echo $? >"$base.$i.status"
		} &
	done
	wait

	p1=$(first_port "$base.1.out") p2=$(first_port "$base.2.out")
	if [ -z "$p1" ] || [ -z "$p2" ]; then
		fail "$name: the first line of each run is 'epollviz: listening on 127.0.0.1:PORT ...'" \
			"run 1: $(head -n 1 "$base.1.out")" "run 2: $(head -n 1 "$base.2.out")"
		context "$base.1.err" 5
		continue
	fi

	# A lesson about flow control measures amounts the kernel's timing
	# decides; it names them in a comment ("# transcript varies in: sendq
	# queued") and the lines that report them are left out; the rest must
	# still match.
	varies=$(sed -n 's/^#[[:space:]]*transcript varies in:[[:space:]]*//p' "$scn" | head -n 1)
	what="two runs print the same transcript, byte for byte, but the port line"
	keep() { tail -n +2 "$1"; }
	if [ -n "$varies" ]; then
		what="$what and the lines that report ${varies// /, }"
		keep() { tail -n +2 "$1" | grep -vE "(${varies// /|})"; }
	fi
	if cmp -s <(keep "$base.1.out") <(keep "$base.2.out") &&
		cmp -s "$base.1.err" "$base.2.err" && cmp -s "$base.1.status" "$base.2.status"; then
		ok "$name: $what"
	else
		fail "$name: $what" \
			"exit status: $(cat "$base.1.status") and $(cat "$base.2.status")"
		diff <(keep "$base.1.out") <(keep "$base.2.out") | head -n 12 |
			cat -v | sed 's/^/    | /' | e2e_sanitize
		diff "$base.1.err" "$base.2.err" | head -n 6 | cat -v | sed 's/^/    | /' | e2e_sanitize
	fi

	# The port is named on the first line only.  A line that names the
	# port names it in both runs; a number that merely equals one run's
	# port (a byte count, say) is a coincidence, which the other run's
	# different port tells apart.
	l1=$(port_lines "$base.1.out" "$p1") l2=$(port_lines "$base.2.out" "$p2")
	if [ -z "$l1" ] || { [ -z "$l2" ] && [ "$p1" != "$p2" ]; }; then
		ok "$name: the port number appears on the first line only"
	else
		fail "$name: the port number ($p1) appears on the first line only; also on:" "$l1"
	fi
done

e2e_finish
