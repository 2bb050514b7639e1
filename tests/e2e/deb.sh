#!/usr/bin/env bash
# tests/e2e/deb.sh - the Debian package, built and tried (also `make
# deb-check`).  tools/deb.sh builds it into this script's scratch
# directory; then: its fields and files, lintian (no error, no warning),
# an install into a scratch root (dpkg --root as root, else dpkg-deb -x),
# and from there `epollviz --version`, `man -l` of the installed page
# without a warning, every lesson headless from the installed location,
# the menu of the installed TUI listing them (run from a directory with
# no scenarios/), and the installed bash completion; then dpkg -r leaves
# nothing behind, and `make install`/`make uninstall` with DESTDIR and
# PREFIX leave nothing either.  Nothing outside tests/tmp is touched.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

for tool in dpkg-deb dpkg-shlibdeps lintian man tmux; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "$tool is installed (make deps installs it)"
		e2e_finish
	fi
done

cd "$E2E_TOP" || exit 1
version=$(sed -n 's/^#define EPOLLVIZ_VERSION "\(.*\)"$/\1/p' src/options.h)
arch=$(dpkg --print-architecture)
deb=$E2E_TMP/epollviz_${version}_$arch.deb
work=$E2E_TMP/work

if VERSION=$version DEB_WORK=$work tools/deb.sh "$deb" >"$E2E_TMP/build.log" 2>&1 && [ -s "$deb" ]; then
	ok "deb: tools/deb.sh builds epollviz_${version}_$arch.deb"
else
	fail "deb: tools/deb.sh builds epollviz_${version}_$arch.deb"
	context "$E2E_TMP/build.log"
	e2e_finish
fi

# `make deb` runs the same script, naming the package as Debian does.
got=$(unset MAKEFLAGS MFLAGS MAKELEVEL; make -n --no-print-directory deb 2>&1 | grep 'tools/deb.sh')
if [[ $got == *"tools/deb.sh epollviz_${version}_$arch.deb" ]]; then
	ok "deb: make deb builds epollviz_${version}_$arch.deb with tools/deb.sh"
else
	fail "deb: make deb builds epollviz_${version}_$arch.deb with tools/deb.sh" "got: $got"
fi

# ---- the package itself --------------------------------------------------
fields=$(dpkg-deb -f "$deb" Package Version Architecture Depends)
missing=''
for lib in libc6 libncursesw6 libtinfo6 libreadline8; do
	grep -qE "^Depends:.*\\b$lib \\(>= " <<<"$fields" || missing="$missing $lib"
done
if grep -qx "Package: epollviz" <<<"$fields" && grep -qx "Version: $version" <<<"$fields" &&
	[ -z "$missing" ]; then
	ok "deb: control fields; Depends computed: $(sed -n 's/^Depends: //p' <<<"$fields")"
else
	fail "deb: control fields and computed Depends" "missing:$missing" "$fields"
fi

dpkg-deb -c "$deb" >"$E2E_TMP/contents"
nscn=$(find scenarios -name '*.scn' | wc -l)
want=(
	'-rwxr-xr-x root/root .* ./usr/bin/epollviz$'
	'-rw-r--r-- root/root .* ./usr/share/man/man1/epollviz.1.gz$'
	'-rw-r--r-- root/root .* ./usr/share/doc/epollviz/copyright$'
	'-rw-r--r-- root/root .* ./usr/share/doc/epollviz/README.md.gz$'
	'-rw-r--r-- root/root .* ./usr/share/doc/epollviz/changelog.gz$'
	'-rw-r--r-- root/root .* ./usr/share/bash-completion/completions/epollviz$'
)
absent=''
for re in "${want[@]}"; do
	grep -qE -- "$re" "$E2E_TMP/contents" || absent="$absent ${re##* }"
done
got=$(grep -cE -- '-rw-r--r-- root/root .* ./usr/share/epollviz/scenarios/[^/]+\.scn$' "$E2E_TMP/contents")
if [ -z "$absent" ] && [ "$got" = "$nscn" ] && ! grep -qvE '^[-d]rw[-x]r-[-x]r-[-x] root/root ' "$E2E_TMP/contents"; then
	ok "deb: the binary, the man page (gzipped), the $nscn lessons, README, copyright, changelog, completion; all root's"
else
	fail "deb: the files in their Debian places" "absent:$absent" "lessons: $got of $nscn"
	context "$E2E_TMP/contents" 40
fi
if dpkg-deb --fsys-tarfile "$deb" | tar -xOf - ./usr/share/doc/epollviz/copyright |
	head -n 1 | grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/'; then
	ok "deb: the copyright file is machine-readable (DEP-5)"
else
	fail "deb: the copyright file is machine-readable (DEP-5)"
fi

lintian --fail-on error,warning "$deb" >"$E2E_TMP/lintian.out" 2>&1
status=$?
grep -v '^running with root privileges' "$E2E_TMP/lintian.out" >"$E2E_TMP/lintian.tags"
if [ "$status" = 0 ] && ! grep -qE '^[EW]: ' "$E2E_TMP/lintian.tags"; then
	ok "deb: lintian reports no error and no warning ($(grep -c '^[IPN]: ' "$E2E_TMP/lintian.tags") other tags)"
else
	fail "deb: lintian reports no error and no warning (status $status)"
	context "$E2E_TMP/lintian.tags" 20
fi

# ---- installed, in a scratch root ----------------------------------------
root=$E2E_TMP/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
: >"$root/var/lib/dpkg/status"
dpkg_root() {
	dpkg --root="$root" --log="$E2E_TMP/dpkg.log" --force-depends --force-not-root "$@"
}
if [ "$(id -u)" = 0 ]; then
	how="dpkg --root"
	dpkg_root -i "$deb" >"$E2E_TMP/install.log" 2>&1
else
	how="dpkg-deb -x (not root)"
	dpkg-deb -x "$deb" "$root" >"$E2E_TMP/install.log" 2>&1
fi
status=$?
ev=$root/usr/bin/epollviz
if [ "$status" = 0 ] && [ -x "$ev" ]; then
	ok "deb: installs into a scratch root ($how)"
else
	fail "deb: installs into a scratch root ($how)"
	context "$E2E_TMP/install.log"
	e2e_finish
fi

got=$("$ev" --version 2>&1)
if [ "$got" = "epollviz $version" ]; then
	ok "deb: installed 'epollviz --version' says $got"
else
	fail "deb: installed 'epollviz --version' says epollviz $version" "got: $got"
fi

MANWIDTH=80 man --warnings -P cat -l "$root/usr/share/man/man1/epollviz.1.gz" \
	>"$E2E_TMP/man.out" 2>"$E2E_TMP/man.err"
if grep -q 'epollviz - watch a real epoll server' "$E2E_TMP/man.out" && grep -q -- '--record' "$E2E_TMP/man.out" &&
	[ ! -s "$E2E_TMP/man.err" ]; then
	ok "deb: 'man -l' renders the installed page, with no warning"
else
	fail "deb: 'man -l' renders the installed page, with no warning"
	context "$E2E_TMP/man.err"
	context "$E2E_TMP/man.out" 5
fi

bad=''
for scn in "$root"/usr/share/epollviz/scenarios/*.scn; do
	"$ev" --headless "$scn" >"$E2E_TMP/lesson.out" 2>&1 || bad="$bad $(basename "$scn")"
done
if [ -z "$bad" ]; then
	ok "deb: every installed lesson runs headless from /usr/share/epollviz/scenarios, all expects hold"
else
	fail "deb: every installed lesson runs headless from the installed location" "failed:$bad"
fi

# The menu finds the lessons beside the binary (../share/epollviz), from a
# directory that has no scenarios/ of its own.
if session m 100 30; then
	tmux_type m "cd /proc && EV='$ev'"
	if launch m "installed TUI" '' "-p 0"; then
		if tmux_wait m '04-et-starvation' && tmux_has m '12-seed-two-sets'; then
			ok "deb: the installed TUI's menu lists the installed lessons"
		else
			fail "deb: the installed TUI's menu lists the installed lessons"
			tmux_context m
		fi
		tmux_keys m Escape
		tmux_keys m q
		after_exit m "installed TUI: q" 0
	fi
fi

got=$(bash --norc --noprofile -c '. "$1" && COMP_WORDS=("$2" --mo) COMP_CWORD=1 && _epollviz &&
	echo "${COMPREPLY[*]}"' x "$root/usr/share/bash-completion/completions/epollviz" "$ev" 2>&1)
if [ "$got" = "--mode --mono" ]; then
	ok "deb: the installed bash completion completes '--mo' to --mode --mono"
else
	fail "deb: the installed bash completion completes '--mo'" "got: $got"
fi

if [ "$(id -u)" = 0 ]; then
	if dpkg_root -r epollviz >"$E2E_TMP/remove.log" 2>&1 && [ -z "$(find "$root/usr" -type f 2>/dev/null)" ]; then
		ok "deb: dpkg -r removes every file it installed"
	else
		fail "deb: dpkg -r removes every file it installed"
		context "$E2E_TMP/remove.log"
		find "$root/usr" -type f | head -n 5 | sed 's/^/    left: /'
	fi
fi

# ---- make install / uninstall, with DESTDIR and PREFIX --------------------
# The objects the package build left; nothing is compiled again.
inst=$E2E_TMP/inst
vars=(SAN= DESTDIR="$inst" PREFIX=/opt/epollviz BUILDDIR="$work/obj" BIN="$work/obj/epollviz")
(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s --no-print-directory install "${vars[@]}") >"$E2E_TMP/inst.log" 2>&1
p=$inst/opt/epollviz
if [ -x "$p/bin/epollviz" ] && [ -f "$p/share/man/man1/epollviz.1" ] &&
	[ -f "$p/share/bash-completion/completions/epollviz" ] &&
	[ "$(find "$p/share/epollviz/scenarios" -name '*.scn' | wc -l)" = "$nscn" ]; then
	ok "deb: make install DESTDIR=... PREFIX=/opt/epollviz: binary, man page, lessons, completion"
else
	fail "deb: make install DESTDIR=... PREFIX=/opt/epollviz: binary, man page, lessons, completion"
	context "$E2E_TMP/inst.log"
fi
(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s --no-print-directory uninstall "${vars[@]}") >>"$E2E_TMP/inst.log" 2>&1
if [ -d "$p" ] && [ -z "$(find "$p" -type f)" ]; then
	ok "deb: make uninstall with the same DESTDIR and PREFIX leaves no file"
else
	fail "deb: make uninstall with the same DESTDIR and PREFIX leaves no file" \
		"$(find "$p" -type f 2>/dev/null | head -n 5)"
fi

e2e_finish
