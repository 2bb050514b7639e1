#!/usr/bin/env bash
# tests/e2e/golden.sh - golden screens: every step of every lesson as the
# terminal shows it, at 100x30 and 80x24 (and, for a lesson run also with
# --compare, side by side at 160x40 too), compared with the text kept in
# tests/golden/.  The screens come from `epollviz --screens`, which steps
# the lesson through the presenter and renderer the terminal UI uses
# (tui.sh checks that a real terminal shows the same text), so a changed
# layout, panel, narration or message fails here, with a diff.
#
# Ports, and amounts a lesson names as the kernel's to decide ("#
# transcript varies in:"), are normalised (lib.sh: golden_normalise).
#
#   GOLDEN_ACCEPT=1 tests/e2e/golden.sh     (what `make golden` runs)
#
# writes the screens as they are now into tests/golden/ instead: review
# them with `git diff tests/golden`, then commit.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

dir=${SCENARIO_DIR:-$E2E_TOP/scenarios}
case $dir in /*) ;; *) dir=$E2E_TOP/$dir ;; esac
accept=${GOLDEN_ACCEPT:-}

# screens NAME SCN SIZES [OPTION...]: NAME's screens as they are now,
# normalised, in $E2E_TMP/NAME.txt (the exit status in NAME.status).
screens() {
	local name=$1 scn=$2 sizes=$3 got=$E2E_TMP/$1.txt
	shift 3
	{
		echo "# epollviz --screens $sizes${1:+ $*} scenarios/${scn##*/} (ports shown as PORT)"
		(cd "$E2E_TOP" && timeout 60 "$EPOLLVIZ" --screens "$sizes" "$@" "$scn" 2>"$E2E_TMP/$name.err")
		echo "# exit status $?"
	} | golden_normalise "$scn" >"$got"
	echo "${PIPESTATUS[1]}" >"$E2E_TMP/$name.status"
}

# golden NAME SCN SIZES [OPTION...]: NAME's screens against the golden
# file NAME.txt (or, accepting, into it).
golden() {
	local name=$1 scn=$2 sizes=$3 file=$GOLDEN_DIR/$1.txt got=$E2E_TMP/$1.txt st
	shift 3
	local what="golden: ${scn#"$E2E_TOP"/}${1:+ $*}: every step at ${sizes//,/, }"
	st=$(cat "$E2E_TMP/$name.status" 2>/dev/null)
	if [ "$st" != 0 ] || [ -s "$E2E_TMP/$name.err" ]; then
		fail "$what: the normalised screens (status ${st:-none})"
		context "$E2E_TMP/$name.err"
		return
	fi
	if [ -n "$accept" ]; then
		if cmp -s "$got" "$file"; then
			echo "# ${file#"$E2E_TOP"/}: unchanged"
		else
			mkdir -p "$GOLDEN_DIR"
			cp "$got" "$file"
			echo "# ${file#"$E2E_TOP"/}: written"
		fi
		return
	fi
	if [ ! -e "$file" ]; then
		fail "$what: ${file#"$E2E_TOP"/} exists" \
			"to keep these screens as the golden ones: make golden"
	elif cmp -s "$got" "$file"; then
		ok "$what match ${file#"$E2E_TOP"/}"
	else
		local rows
		mapfile -t rows < <(golden_diff "$file" "$got")
		fail "$what match ${file#"$E2E_TOP"/}; rows that differ (- kept, + now):" \
			"${rows[@]}" \
			"(the screens now: ${got#"$E2E_TOP"/})" \
			"if the new screens are right: make golden (then git diff tests/golden)"
	fi
}

shopt -s nullglob
scns=("$dir"/*.scn)
[ ${#scns[@]} -gt 0 ] || fail "golden: there are lessons in ${dir#"$E2E_TOP"/}"
# Every lesson's screens are made at once (each run is alone on its port
# and its screens do not depend on timing), then compared in order.
for pass in screens golden; do
	for scn in "${scns[@]}"; do
		name=$(basename "$scn" .scn)
		also=$(golden_compare_args "$scn")
		if [ $pass = screens ]; then
			screens "$name" "$scn" "$GOLDEN_SIZES" &
			# shellcheck disable=SC2086 # the option and its value are two words
			[ -z "$also" ] || screens "$name.compare" "$scn" "$GOLDEN_COMPARE_SIZES" $also &
			continue
		fi
		golden "$name" "$scn" "$GOLDEN_SIZES"
		# shellcheck disable=SC2086
		[ -z "$also" ] || golden "$name.compare" "$scn" "$GOLDEN_COMPARE_SIZES" $also
	done
	wait
done
# cut_texts FILE: the rows of FILE's screens that end a text in an
# ellipsis, as "line N, SECTION | ROW".  The one ellipsis meant to be there stands
# before a connection's newest bytes ("…xyz"): its closing quote follows
# before the next border.  Every other one cut a sentence, a result or a
# name the class reads.
cut_texts() {
	awk '/^=== / { sec = $0; next }
	{
		rest = $0
		while ((i = index(rest, "…")) > 0) {
			rest = substr(rest, i + length("…"))
			seg = rest
			if ((j = index(seg, "│")) > 0)
				seg = substr(seg, 1, j - 1)
			if (seg !~ /"/) { print "line " NR ", " sec " | " $0; next }
		}
	}' "$1"
}

# Nothing the class reads ends cut, on any screen of any lesson: a text
# too long for its row wraps or has a shorter form.  Skipped while
# accepting: the files are checked as they are kept.
if [ -z "$accept" ]; then
	for file in "$GOLDEN_DIR"/*.txt; do
		mapfile -t cuts < <(cut_texts "$file")
		if [ ${#cuts[@]} -eq 0 ]; then
			ok "golden: no text ends cut in ${file#"$E2E_TOP"/}"
		else
			fail "golden: no text ends cut in ${file#"$E2E_TOP"/}; ${#cuts[@]} rows end in an ellipsis:" \
				"${cuts[@]:0:12}"
		fi
	done
fi

# A golden file whose lesson is gone would be kept for nothing.
for file in "$GOLDEN_DIR"/*.txt; do
	name=$(basename "$file" .txt)
	[ -e "$dir/${name%.compare}.scn" ] ||
		fail "golden: ${file#"$E2E_TOP"/} belongs to a lesson in ${dir#"$E2E_TOP"/}" \
			"remove it if the lesson is gone (git rm ${file#"$E2E_TOP"/})"
done

e2e_finish
