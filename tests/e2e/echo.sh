#!/usr/bin/env bash
# tests/e2e/echo.sh - the write side with a real client, OpenBSD nc:
# `epollviz --headless --reply echo --port P` is an echo server; what nc
# sends comes back byte for byte (hostile bytes included: only the
# transcript escapes them), also when nc shuts down its sending side at
# once (the replies are written before the server closes); a client that
# resets while replies wait gets no SIGPIPE, the server says it and
# serves on.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

need_openbsd_nc

out=$E2E_TMP/echo.out err=$E2E_TMP/echo.err
if start_server "$out" "$err" --reply echo; then
	what="echo server"
	got=$(printf 'ping\n' | timeout "$POLL_BOUND" nc -q1 127.0.0.1 "$server_port")
	if [ "$got" = ping ]; then
		ok "$what: printf 'ping\\n' | nc -q1 prints ping"
	else
		fail "$what: printf 'ping\\n' | nc -q1 prints ping" "got: $got"
		context "$out"
	fi
	if wait_for "$out" ': send(5) = 5'; then
		ok "$what: the transcript shows send(5) = 5"
	else
		fail "$what: the transcript shows send(5) = 5"
		context "$out"
	fi

	# Every byte value, twice, comes back exactly (nc -N: FIN at once).
	printf '%s' "$(for i in $(seq 0 255); do printf '\\%03o' "$i"; done)" >"$E2E_TMP/fmt"
	# shellcheck disable=SC2059 # the file is a printf format on purpose
	{ printf "$(cat "$E2E_TMP/fmt")"; printf "$(cat "$E2E_TMP/fmt")"; } >"$E2E_TMP/all.bin"
	timeout "$POLL_BOUND" nc -N 127.0.0.1 "$server_port" <"$E2E_TMP/all.bin" >"$E2E_TMP/back.bin"
	if cmp -s "$E2E_TMP/all.bin" "$E2E_TMP/back.bin"; then
		ok "$what: 512 bytes of every value come back byte for byte"
	else
		fail "$what: 512 bytes of every value come back byte for byte" \
			"sent $(wc -c <"$E2E_TMP/all.bin") B, got $(wc -c <"$E2E_TMP/back.bin") B"
	fi
	if only_printable "$out"; then
		ok "$what: the transcript stays printable ASCII (client bytes escaped)"
	else
		fail "$what: the transcript stays printable ASCII (client bytes escaped)"
	fi

	# 4 MiB through nc -N: more than the socket buffers hold, so replies
	# wait in the application buffer; all of it comes back.
	head -c 4194304 /dev/urandom >"$E2E_TMP/big.bin"
	timeout 20 nc -N 127.0.0.1 "$server_port" <"$E2E_TMP/big.bin" >"$E2E_TMP/bigback.bin"
	if cmp -s "$E2E_TMP/big.bin" "$E2E_TMP/bigback.bin"; then
		ok "$what: 4 MiB come back whole"
	else
		fail "$what: 4 MiB come back whole" "got $(wc -c <"$E2E_TMP/bigback.bin") B"
	fi
	stop_server "$server_pid" "$out" "$err" "$what"
fi

e2e_finish
