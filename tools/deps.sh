#!/bin/sh
# tools/deps.sh build|test|fuzz: make sure what epollviz needs is installed.
#
# The Makefile runs this before every build and test, so that `make run`
# or `make test` alone sets up a fresh Debian machine (CI is one: a clean
# clone, run as root). It must therefore cost nothing when all is there:
# only `command -v` and `pkg-config --exists`, no apt call.
#
#   build: a C compiler, pkg-config, ncursesw and readline headers.
#   test:  all of build and deb, plus tmux, OpenBSD netcat, ss (iproute2),
#          strace, python3 (whose json module checks recordings; perl,
#          which tests/e2e/storm.pl uses, is in every Debian: perl-base)
#          and cmark (the CommonMark parser that reads every handout).
#   fuzz:  clang with its libFuzzer runtime (only `make fuzz` asks).
#   deb:   dpkg-dev (dpkg-shlibdeps, dpkg-buildflags), lintian and man-db:
#          `make deb`, and tests/e2e/deb.sh in `make test`.
#
# Missing and root with apt-get: install quietly (errors are shown).
# Missing otherwise: one line on stderr saying what to do, exit 1.
#
# Testing hook: DEPS_ASSUME_USER=1 acts as if not root, to see the line a
# developer without root gets (e.g. with PKG_CONFIG_LIBDIR=/nonexistent
# so that ncursesw and readline look missing).
set -eu

mode=${1:-}
case $mode in
build|test|fuzz|deb) ;;
*) echo "usage: $0 build|test|fuzz|deb" >&2; exit 2 ;;
esac
CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

# need PACKAGE WHAT: record a missing Debian package and what it provides.
need() { pkgs="$pkgs $1"; what="$what $2"; }

# Fill $pkgs and $what (both start with a space, or are empty).
scan() {
	pkgs='' what=''
	if [ "$mode" = fuzz ]; then
		if ! command -v clang >/dev/null 2>&1; then
			need clang clang
		elif ! [ -e "$(clang --print-runtime-dir)/libclang_rt.fuzzer-$(uname -m).a" ]; then
			# Debian ships it apart, and clang only recommends it.
			need "libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev" libFuzzer
		fi
		return 0
	fi
	if [ "$mode" = deb ] || [ "$mode" = test ]; then
		command -v dpkg-shlibdeps >/dev/null 2>&1 || need dpkg-dev dpkg-shlibdeps
		command -v lintian >/dev/null 2>&1 || need lintian lintian
		command -v man >/dev/null 2>&1 || need man-db man
		[ "$mode" = deb ] && return 0
	fi
	if ! command -v "$CC" >/dev/null 2>&1; then
		# Only cc/gcc map to gcc; a chosen compiler (CC=clang) names itself.
		case $CC in cc|gcc) need gcc "$CC" ;; *) need "$CC" "$CC" ;; esac
	fi
	command -v "$PKG_CONFIG" >/dev/null 2>&1 || need pkg-config "$PKG_CONFIG"
	# Without pkg-config these fail too, and we cannot tell: list them.
	"$PKG_CONFIG" --exists ncursesw 2>/dev/null || need libncurses-dev ncursesw
	"$PKG_CONFIG" --exists readline 2>/dev/null || need libreadline-dev readline
	[ "$mode" = test ] || return 0
	command -v tmux >/dev/null 2>&1 || need tmux tmux
	command -v python3 >/dev/null 2>&1 || need python3 python3
	# The tests use OpenBSD nc options; netcat-traditional's nc lacks them.
	nc -h 2>&1 | grep -q OpenBSD || need netcat-openbsd "nc(OpenBSD)"
	command -v ss >/dev/null 2>&1 || need iproute2 ss
	# tests/e2e/strace.sh holds the syscall counters to what strace sees.
	command -v strace >/dev/null 2>&1 || need strace strace
	# tests/e2e/handout.sh reads every handout with a Markdown parser.
	command -v cmark >/dev/null 2>&1 || need cmark cmark
}

scan
[ -z "$pkgs" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "epollviz: missing $mode dependencies:$what (no apt-get here; install them by hand)" >&2
	exit 1
fi
uid=$(id -u)
[ "${DEPS_ASSUME_USER:-0}" = 1 ] && uid=1000
if [ "$uid" != 0 ]; then
	echo "epollviz: missing $mode dependencies; run: sudo apt-get install -y$pkgs" >&2
	exit 1
fi

echo "deps: installing$pkgs"
# Quiet on success; on failure show apt's own output, which says why.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# shellcheck disable=SC2086 # $pkgs is a list of words on purpose
if ! { apt-get update -qq &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $pkgs; } </dev/null >"$log" 2>&1; then
	cat "$log" >&2
	echo "epollviz: apt-get install$pkgs failed" >&2
	exit 1
fi

scan
if [ -n "$pkgs" ]; then
	echo "epollviz: still missing after install:$what" >&2
	exit 1
fi
