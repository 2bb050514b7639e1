#!/usr/bin/env bash
# tests/e2e/bench_modes.sh - --bench-modes (and --claims, which runs it)
# prints what it says it does:
# a table per load shape with a row for each mode x reader x budget, the
# unread-ready rows at three sizes (capped, with a note, when the
# descriptor limit leaves no room), a CSV of the same cells with
# --csv, a progress line on stderr, and it ends within its bound.  The
# figures are measured and vary: their shape is checked, never their
# size.  Run under a limit of 512 descriptors, so that N = 1,000 and
# 10,000 are capped and the run stays short.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

num='[0-9]+'
dec='[0-9]+\.[0-9]+'
modes='(lt|et|oneshot)'
row_re="^$modes +(eagain|short|once) +(drain|16) +$num( +$dec){8} +$num +$num\$"
unread_re="^$modes +$num +$num +$dec +$dec\$"

out=$E2E_TMP/table.out err=$E2E_TMP/table.err
start=$(date +%s)
(ulimit -n 512 && exec timeout 120 "$EPOLLVIZ" --bench-modes --bench-seconds 2) >"$out" 2>"$err"
status=$? took=$(($(date +%s) - start))
if [ "$status" = 0 ]; then
	ok "--bench-modes --bench-seconds 2: exit 0"
else
	fail "--bench-modes --bench-seconds 2: exit 0" "status $status"
	context "$err"
fi
# Generous: the machine is shared, and set-up costs more than the traffic
# at 2 s; what is checked is that it is bounded, not how fast it is.
if [ "$took" -le 60 ]; then
	ok "--bench-modes --bench-seconds 2 ends within 60 s (took $took s)"
else
	fail "--bench-modes --bench-seconds 2 ends within 60 s" "took $took s"
fi
for shape in saturated bursty; do
	rows=$(sed -n "/^$shape: /,/^\$/p" "$out" | grep -cE "$row_re")
	if [ "$rows" = 18 ]; then
		ok "--bench-modes: $shape has a row for each of 3 modes x 3 readers x 2 budgets"
	else
		fail "--bench-modes: $shape has 18 rows of mode, reader, budget and 11 figures" "$rows found"
		context "$out"
	fi
done
if has "$out" "mode     reader budget   messages  waits/msg events/msg  reads/msg EAGAIN/msg syscalls/msg  vcsw/msg ivcsw/msg  cpu_us/msg   left_B starved"; then
	ok "--bench-modes: the table's head names each figure per message"
else
	fail "--bench-modes: the table's head names each figure per message"
	context "$out"
fi
unread=$(sed -n '/^unread-ready: /,/^$/p' "$out" | grep -cE "$unread_re")
sizes=$(sed -n '/^unread-ready: /,/^$/p' "$out" | grep -E "$unread_re" | awk '{print $2}' | sort -un | tr '\n' ' ')
if [ "$unread" = 9 ] && [ "$sizes" = "100 448 " ]; then
	ok "--bench-modes: unread-ready has each mode at 100, and 1,000 and 10,000 capped at 448"
else
	fail "--bench-modes: unread-ready rows: 3 modes x 3 sizes, capped at the limit" "$unread rows, sizes $sizes"
	context "$out"
fi
if has "$out" "note: unread-ready N = 1000 is capped at 448 connections" &&
	has "$out" "note: unread-ready N = 10000 is capped at 448 connections"; then
	ok "--bench-modes: a capped size says so in a note"
else
	fail "--bench-modes: a capped size says so in a note"
	context "$out"
fi
if has "$err" "bench-modes: 1/39 saturated lt eagain drain" && has "$err" "bench-modes: 39/39 unread-ready N = 10000"; then
	ok "--bench-modes: a progress line on stderr for each cell"
else
	fail "--bench-modes: a progress line on stderr for each cell"
	context "$err"
fi

# CSV: one header, a line per cell (36) and per unread row (9), 18 fields each.
csv=$E2E_TMP/table.csv
(ulimit -n 512 && exec timeout 120 "$EPOLLVIZ" --bench-modes --csv --bench-seconds 2) >"$csv" 2>/dev/null
status=$?
lines=$(wc -l <"$csv")
fields=$(awk -F, '{print NF}' "$csv" | sort -u | tr '\n' ' ')
if [ "$status" = 0 ] && [ "$lines" = 46 ] && [ "$fields" = "18 " ] &&
	head -n 1 "$csv" | grep -q '^shape,mode,reader,budget,n,messages,waits_per_msg,' &&
	[ "$(grep -c '^unread-ready,' "$csv")" = 9 ] && [ "$(grep -cE '^(saturated|bursty),' "$csv")" = 36 ]; then
	ok "--bench-modes --csv: a header and 45 rows of 18 fields"
else
	fail "--bench-modes --csv: a header and 45 rows of 18 fields" "status $status, $lines lines, fields $fields"
	context "$csv"
fi

# --claims: twelve claims, each with what decides it and a verdict.
out=$E2E_TMP/claims.out
(ulimit -n 512 && exec timeout 120 "$EPOLLVIZ" --claims --bench-seconds 2) >"$out" 2>/dev/null
status=$?
claims=$(grep -cE '^ ?[0-9]+\. ' "$out")
decided=$(grep -cE '^    decided by: (bench: |lesson )' "$out")
verdicts=$(grep -cE '^    verdict: (holds|holds with nuance|does not hold|undecided): ' "$out")
if [ "$status" = 0 ] && [ "$claims" = 12 ] && [ "$decided" = 12 ] && [ "$verdicts" = 12 ]; then
	ok "--claims: twelve claims, each with what decides it and a verdict"
else
	fail "--claims: twelve claims, each with what decides it and a verdict" \
		"status $status, $claims claims, $decided deciders, $verdicts verdicts"
	context "$out"
fi

# A bound outside its range is an error before anything runs.
out=$E2E_TMP/bad.out
"$EPOLLVIZ" --bench-modes --bench-seconds 1 >"$out" 2>&1
exits_saying "--bench-seconds 1: exit 2 with the range" $? 2 "$out" \
	"--bench-seconds: expected a number from 2 to 600, found '1'"

# Options that only make sense with another: a clear error, exit 2.
for case in "--csv:--csv is how --bench-modes prints" "--markdown:--markdown is how --claims prints" \
	"--bench-seconds 5:--bench-seconds bounds --bench-modes or --claims" \
	"--bench-modes --claims:--claims runs --bench-modes itself"; do
	args=${case%%:*} want=${case#*:}
	# shellcheck disable=SC2086 # the words of the case
	"$EPOLLVIZ" $args >"$out" 2>&1
	exits_saying "'$args' alone: exit 2, '$want'" $? 2 "$out" "$want"
done

e2e_finish
