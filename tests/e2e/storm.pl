#!/usr/bin/perl
# tests/e2e/storm.pl - clients for tests/e2e/limits.sh, loopback only.
#
#   storm.pl reset PORT COUNT   COUNT connections to 127.0.0.1:PORT, each
#                               closed with a reset (SO_LINGER 0) as soon as
#                               its handshake is done: a reset storm.  Prints
#                               "storm: N reset, M failed".
#   storm.pl hold PORT COUNT    COUNT connections that stay open: prints
#                               "held: N connected" and holds them until its
#                               stdin closes.
#
# Bounded: a handshake gets 5 s, the whole run 120 s (SIGALRM).
use strict;
use warnings;
use Socket qw(:all);
use Errno qw(EINPROGRESS);
use Fcntl qw(F_GETFL F_SETFL O_NONBLOCK);
use IO::Handle;

my ($what, $port, $count) = @ARGV;
die "usage: storm.pl reset|hold PORT COUNT\n"
    unless defined $count && $what =~ /^(reset|hold)$/ && $port =~ /^\d+$/ && $count =~ /^\d+$/;
alarm 120;
STDOUT->autoflush(1);
my $addr = pack_sockaddr_in($port, inet_aton("127.0.0.1"));

# connected(): a non-blocking connect that waits for the handshake.
sub connected {
    socket(my $s, PF_INET, SOCK_STREAM, 0) or return;
    fcntl($s, F_SETFL, fcntl($s, F_GETFL, 0) | O_NONBLOCK);
    if (!connect($s, $addr) && $! != EINPROGRESS) {
        close $s;
        return;
    }
    my $w = '';
    vec($w, fileno($s), 1) = 1;
    if (select(undef, $w, undef, 5) <= 0 || unpack("i", getsockopt($s, SOL_SOCKET, SO_ERROR))) {
        close $s;
        return;
    }
    return $s;
}

if ($what eq 'reset') {
    my ($reset, $failed) = (0, 0);
    for (1 .. $count) {
        my $s = connected();
        if (!$s) {
            $failed++;
            next;
        }
        setsockopt($s, SOL_SOCKET, SO_LINGER, pack("ii", 1, 0));
        close $s;
        $reset++;
    }
    print "storm: $reset reset, $failed failed\n";
    exit 0;
}

my $held = 0;
my @keep;
for (1 .. $count) {
    my $s = connected() or next;
    push @keep, $s;
    $held++;
}
print "held: $held connected\n";
1 while sysread(STDIN, my $buf, 512);
