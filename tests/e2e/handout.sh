#!/usr/bin/env bash
# tests/e2e/handout.sh - `--handout LESSON` and `--handout all DIR`
# (README "For teachers"): Markdown that a CommonMark parser (cmark, a
# Debian package that `make deps` installs) reads as it is meant: one
# title; a "## Step N of M" heading for each of the lesson's steps, in
# order, each with its screen as a code block of the screen's rows; no
# raw HTML and nothing left unparsed (handout_check.py reads cmark's XML
# tree); every `say` of the headless transcript in its step; the rule at
# the end.  Also: the same from run to run but for the line that shows
# the port, the screens are --screens's, and the option errors.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$E2E_TOP" || exit 1

check=$E2E_TOP/tests/e2e/handout_check.py
for tool in cmark python3; do
	command -v "$tool" >/dev/null 2>&1 || {
		fail "$tool is not installed (make deps installs it)"
		e2e_finish
	}
done

# structure FILE STEPS ROWS [SCREENS]: what is wrong with FILE as cmark
# parses it, nothing if all is well.
structure() {
	cmark -t xml "$1" >"$1.xml" || echo "cmark cannot read $1"
	python3 "$check" "$1.xml" "$2" "$3" ${4:+"$4"}
}

# says FILE TRANSCRIPT: every say of the transcript, in its step's section.
says() {
	local step='' line want
	while IFS= read -r line; do
		case $line in
		'--- step '*) step=${line#--- step }; step=${step%% *} ;;
		'say: '*)
			want=${line#say: }
			awk -v s="## Step $step of " -v w="$want" '
				index($0, s) == 1 { in_step = 1; next }
				/^## / { in_step = 0 }
				in_step && $0 == w { found = 1 }
				END { exit !found }' "$1" || echo "step $step: say missing: $want"
			;;
		esac
	done <"$2"
}

lesson=scenarios/04-et-starvation.scn
"$EPOLLVIZ" --handout "$lesson" >"$E2E_TMP/a.md" 2>"$E2E_TMP/a.err"
a=$?
"$EPOLLVIZ" --handout "$lesson" >"$E2E_TMP/b.md" 2>"$E2E_TMP/b.err"
b=$?
if [ "$a" = 0 ] && [ "$b" = 0 ] && [ -s "$E2E_TMP/a.md" ]; then
	ok "--handout $lesson exits 0 with Markdown"
else
	fail "--handout $lesson exits 0 with Markdown (exit $a, $b)" "$(head -5 "$E2E_TMP/a.err")"
fi
# Only the port differs, and only on the lines that show it.
diff "$E2E_TMP/a.md" "$E2E_TMP/b.md" | grep '^[<>]' >"$E2E_TMP/diff"
if ! grep -vq '127\.0\.0\.1:[0-9]' "$E2E_TMP/diff" &&
	cmp -s <(sed -E 's/127\.0\.0\.1:[0-9]+/ADDR/' "$E2E_TMP/a.md") \
		<(sed -E 's/127\.0\.0\.1:[0-9]+/ADDR/' "$E2E_TMP/b.md"); then
	ok "two handouts of $lesson are identical but for the port"
else
	fail "two handouts of $lesson are identical but for the port" "$(head -6 "$E2E_TMP/diff")"
fi
if has "$E2E_TMP/a.md" "epollviz $lesson" && has "$E2E_TMP/a.md" '`expect a pending 48`: passed' &&
	has_re "$E2E_TMP/a.md" '^Rule: under ET'; then
	ok "the handout has the command to run it live, the expects' results and the rule"
else
	fail "the handout has the command to run it live, the expects' results and the rule" \
		"$(head -12 "$E2E_TMP/a.md")"
fi
# The screens are --screens's at --size.
"$EPOLLVIZ" --handout "$lesson" --size 80x24 >"$E2E_TMP/small.md" 2>/dev/null
"$EPOLLVIZ" --screens 80x24 "$lesson" >"$E2E_TMP/screens.txt" 2>/dev/null
problems=$(structure "$E2E_TMP/small.md" 5 24 "$E2E_TMP/screens.txt")
if [ -z "$problems" ]; then
	ok "--size 80x24: every screen is a code block of 24 rows, the screens --screens 80x24 prints"
else
	fail "--size 80x24: every screen is a code block of 24 rows, the screens --screens 80x24 prints" \
		"$problems"
fi

"$EPOLLVIZ" --handout all "$E2E_TMP/all" >"$E2E_TMP/all.out" 2>"$E2E_TMP/all.err"
rc=$?
nlessons=$(find scenarios -name '*.scn' | wc -l)
nfiles=$(find "$E2E_TMP/all" -name '[0-9]*.md' 2>/dev/null | wc -l)
if [ "$rc" = 0 ] && [ "$nfiles" = "$nlessons" ] && [ -s "$E2E_TMP/all/index.md" ] &&
	[ "$(grep -c '^[0-9]*\. \[.*\](.*\.md)$' "$E2E_TMP/all/index.md")" = "$nlessons" ]; then
	ok "--handout all writes one file per lesson ($nlessons) and an index linking each"
else
	fail "--handout all writes one file per lesson ($nlessons) and an index linking each" \
		"exit $rc, $nfiles files" "$(head -3 "$E2E_TMP/all.err")"
fi
for scn in scenarios/*.scn; do
	name=$(basename "$scn" .scn)
	"$EPOLLVIZ" --headless "$scn" >"$E2E_TMP/$name.txt" 2>/dev/null
	steps=$(sed -n 's/^scenario: .* in \([0-9]*\) steps\{0,1\}$/\1/p' "$E2E_TMP/$name.txt")
	problems=$(structure "$E2E_TMP/all/$name.md" "${steps:-0}" 30; says "$E2E_TMP/all/$name.md" "$E2E_TMP/$name.txt")
	if [ -n "$steps" ] && [ -z "$problems" ]; then
		ok "$name.md (cmark): a title, $steps steps in order each with its screen as a code block, nothing unparsed, every say, the rule"
	else
		fail "$name.md (cmark): a title, ${steps:-?} steps in order each with its screen as a code block, nothing unparsed, every say, the rule" \
			"$problems"
	fi
done

# Errors: exit 2 and a message naming the option.
check_error() {
	local what=$1 want=$2
	shift 2
	"$EPOLLVIZ" "$@" >/dev/null 2>"$E2E_TMP/err"
	local rc=$?
	if [ "$rc" = 2 ] && has "$E2E_TMP/err" "$want"; then
		ok "$what: exit 2, says '$want'"
	else
		fail "$what: exit 2, says '$want' (exit $rc)" "$(cat "$E2E_TMP/err")"
	fi
}
check_error "--size 5x5" "--size: expected COLSxROWS" --handout "$lesson" --size 5x5
check_error "--size without --handout" "give --handout too" --size 80x24 "$lesson"
check_error "--handout all without DIR" "needs a DIR" --handout all
check_error "--handout of a missing lesson" "nope.scn" --handout nope.scn

e2e_finish
