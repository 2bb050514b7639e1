# bash completion for epollviz: its options, their values, scenario files.
#
# Installed by `make install` and the Debian package where bash-completion
# looks (share/bash-completion/completions/epollviz); in a checkout,
# `. completion/epollviz.bash`.
#
# The options are read from `epollviz --help` of the very program being
# completed, so this file cannot fall behind them.  A value is offered from
# the option's own line when it lists them (`--mode lt|et|oneshot`), else
# from _epollviz_values below; tests/e2e/completion.sh checks that every
# option of --help is offered and that the program accepts every value.
#
# shellcheck shell=bash

# OPTIONS: VALUES, for options whose --help line names a placeholder.
# FILE means file names; a value list replaces the --help line's.
_epollviz_values='
--compare: lt,et et,lt lt,oneshot oneshot,lt et,oneshot oneshot,et
-l --listen: 127.0.0.1 0.0.0.0 ::1 ::
--screens: 100x30,80x24 100x30 80x24
--record: FILE
'

# _epollviz_options PROGRAM: one line per option of PROGRAM --help,
# "NAME ARG WORDS...": ARG is 1 if it takes a value; WORDS are the values
# its line lists (lowercase words of `a|b|c`).
_epollviz_options() {
	"$1" --help 2>/dev/null | awk '
	/^ +-/ {
		line = $0
		sub(/^ +/, "", line)
		n = 0; arg = 0; words = ""
		# "-p, --port N   text": names, then a value placeholder only if a
		# single space separates it from the last name.
		while (match(line, /^--?[A-Za-z0-9][A-Za-z0-9-]*/)) {
			names[++n] = substr(line, 1, RLENGTH)
			line = substr(line, RLENGTH + 1)
			if (substr(line, 1, 2) == ", ") line = substr(line, 3)
			else break
		}
		if (n && line ~ /^ [^ ]/) {
			arg = 1
			split(substr(line, 2), t, " ")
			k = split(t[1], v, "|")
			for (j = 1; k > 1 && j <= k; j++)
				if (v[j] ~ /^[a-z0-9]/) words = words " " v[j]
		}
		for (i = 1; i <= n; i++) print names[i], arg words
	}'
}

_epollviz() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' opt='' line name arg words
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	local prog=${COMP_WORDS[0]}
	prog=${prog/#\~/$HOME}
	COMPREPLY=()

	# --opt=value, whether or not COMP_WORDBREAKS split it at the '='.
	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*} cur=${cur#*=}
	elif [ "$cur" = = ] && [[ $prev == --* ]]; then
		opt=$prev cur=''
	elif [ "$prev" = = ] && [ "$COMP_CWORD" -gt 1 ]; then
		opt=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $prev == -* ]]; then
		opt=$prev
	fi

	local options
	options=$(_epollviz_options "$prog")
	if [ -n "$opt" ]; then
		while read -r name arg words; do
			[ "$name" = "$opt" ] || continue
			[ "$arg" = 1 ] || break
			line=$(printf '%s\n' "$_epollviz_values" | awk -v o="$opt" -F': ' '
				{ n = split($1, a, " "); for (i = 1; i <= n; i++) if (a[i] == o) print $2 }')
			[ -n "$line" ] && words=$line
			if [ "$words" = FILE ]; then
				compopt -o filenames 2>/dev/null
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			elif [ -n "$words" ]; then
				# shellcheck disable=SC2207 # words are single tokens
				COMPREPLY=($(compgen -W "$words" -- "$cur"))
			fi
			return 0
		done <<<"$options"
	fi

	if [[ $cur == -* ]]; then
		# shellcheck disable=SC2207
		COMPREPLY=($(compgen -W "$(printf '%s\n' "$options" | cut -d' ' -f1)" -- "$cur"))
		return 0
	fi
	# The one argument: a scenario file (or a directory on the way to one).
	compopt -o filenames 2>/dev/null
	mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X '!*.scn' -- "$cur")
}

complete -F _epollviz epollviz
