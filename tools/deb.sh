#!/bin/sh
# tools/deb.sh OUT.deb: the Debian binary package, built with dpkg-deb.
#
# `make deb` runs it from the top of the tree with VERSION set.  There is
# no debian/ source package: the project's own `make install` (PREFIX=/usr,
# DESTDIR=a staging tree) lays out the files, with Debian's hardening
# flags from dpkg-buildflags and objects of their own (build/deb/obj, so
# the scenario path compiled in is /usr/share/...).  Then what dh would
# add: a stripped binary, the man page and docs gzipped (-9n), the
# copyright file in the machine-readable format, a changelog, md5sums,
# and Depends computed by dpkg-shlibdeps from the libraries the binary
# links.  Files belong to root (--root-owner-group), and their times are
# the last commit's (SOURCE_DATE_EPOCH), so two builds of one commit give
# the same package.
#
# Environment: VERSION (required), MAKE (make; not taken from the calling
# make, so that `make -n deb` only prints), DEB_WORK (the staging and
# object directory, build/deb), DEB_MAINTAINER (the Maintainer field; a
# packager sets their own).
set -eu

out=${1:?usage: tools/deb.sh OUT.deb}
: "${VERSION:?VERSION is not set (make deb sets it)}"
MAKE=${MAKE:-make}
MAINTAINER=${DEB_MAINTAINER:-epollviz authors <epollviz@packages.invalid>}

top=$(pwd)
work=${DEB_WORK:-$top/build/deb}
root=$work/root
rm -rf "$root" "$work/debian"
mkdir -p "$root"

if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

# The project's install, as a distribution builds it, with every
# hardening feature (bindnow too: a read-only GOT).
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
CPPFLAGS=$(dpkg-buildflags --get CPPFLAGS)
CFLAGS=$(dpkg-buildflags --get CFLAGS)
LDFLAGS=$(dpkg-buildflags --get LDFLAGS)
# Nothing of a calling make's (`make check` passes SAN=1 down) may reach
# the package's build.
unset MAKEFLAGS MFLAGS MAKELEVEL
$MAKE -s --no-print-directory install SAN= DESTDIR="$root" PREFIX=/usr \
	BUILDDIR="$work/obj" BIN="$work/obj/epollviz" \
	CPPFLAGS="$CPPFLAGS" CFLAGS="$CFLAGS" LDFLAGS="$LDFLAGS"

strip --remove-section=.comment --remove-section=.note --strip-unneeded "$root/usr/bin/epollviz"
gzip -9nf "$root/usr/share/man/man1/epollviz.1"

doc=$root/usr/share/doc/epollviz
install -d "$doc"
install -m 644 README.md "$doc/README.md"
gzip -9nf "$doc/README.md"

# debian/copyright, machine-readable (DEP-5); MIT is "Expat" there.
{
	printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n'
	printf 'Upstream-Name: epollviz\n\n'
	printf 'Files: *\n'
	printf 'Copyright: %s\n' "$(sed -n 's/^Copyright (c) //p' LICENSE | head -n 1)"
	printf 'License: Expat\n'
	# The licence text after its title and copyright lines, one space in,
	# an empty line as " .".
	sed -e '1,/^Copyright/d' LICENSE | sed -e '/./,$!d' -e 's/^$/./' -e 's/^/ /'
} >"$doc/copyright"
chmod 644 "$doc/copyright"

# A native package's changelog, in Debian's format.
{
	printf 'epollviz (%s) unstable; urgency=medium\n\n' "$VERSION"
	printf '  * Version %s; see README.md.gz for what it does.\n\n' "$VERSION"
	printf ' -- %s  %s\n' "$MAINTAINER" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"

# Depends: the packages of the shared libraries the binary needs.
# dpkg-shlibdeps reads debian/control, which only has to exist here.
mkdir -p "$work/debian"
printf 'Source: epollviz\n\nPackage: epollviz\nArchitecture: any\n' >"$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O -e root/usr/bin/epollviz 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "tools/deb.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

install -d "$root/DEBIAN"
(cd "$root" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat >"$root/DEBIAN/control" <<EOF
Package: epollviz
Version: $VERSION
Architecture: $(dpkg --print-architecture)
Maintainer: $MAINTAINER
Installed-Size: $size
Depends: $depends
Section: education
Priority: optional
Description: watch a real epoll server, connection by connection
 epollviz teaches Linux epoll by showing it live. One process runs a real
 epoll TCP server and, around it, a terminal view of what the kernel and
 the event loop do: the bytes waiting in each socket, every epoll_wait and
 what it returned, every read and accept call (EAGAIN included), and the
 moment an edge-triggered connection starves because its reader stopped
 before EAGAIN.
 .
 Twelve scripted lessons open real loopback clients and step through
 level-triggered re-notification, edge-triggered starvation, one-shot,
 EPOLL_CTL_MOD, half-close, fairness and flow control; students can
 connect their own clients with nc. A headless mode prints a transcript.
EOF
find "$root" -type d -exec chmod 755 {} +
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
echo "tools/deb.sh: built $out (Depends: $depends)"
