/*
 * textfile.c - the safe write behind `dump`: no symbolic link is followed,
 * nothing but a regular file with one name is truncated, and a scenario's
 * files stay beneath its directory (openat2 RESOLVE_BENEATH where the
 * kernel has it).
 */
#include "textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The file's fd, opened for writing but not yet truncated, or -1 with errno. */
static int open_beneath(int dirfd, const char *path, int flags)
{
    struct open_how how = {
        .flags = (unsigned)flags,
        .mode = 0666,
        .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
    };
    int fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
    if (fd < 0 && errno == ENOSYS) /* before Linux 5.6: the last component is still checked */
        fd = openat(dirfd, path, flags, 0666);
    return fd;
}

static const char *why(int e)
{
    switch (e) {
    case ELOOP:
        return "a symbolic link is in the way, and a dump never follows one";
    case EXDEV:
        return "it leads outside the scenario's directory";
    case ENXIO: /* a FIFO nobody reads, a socket */
        return "not a regular file";
    default:
        return strerror(e);
    }
}

int textfile_write(const char *dir, const char *path, const char *text, size_t len,
                   struct sbuf *err)
{
    /* O_NONBLOCK: a FIFO named like the file must not hang the lesson;
     * it is refused below.  No O_TRUNC: only once it is known what the
     * file is. */
    int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, fd;
    if (dir) {
        int dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0) {
            sbuf_printf(err, "cannot write %s: the scenario's directory %s: %s", path, dir,
                        strerror(errno));
            return -1;
        }
        fd = open_beneath(dirfd, path, flags);
        int e = errno;
        close(dirfd);
        errno = e;
    } else {
        fd = open(path, flags, 0666);
    }
    if (fd < 0) {
        sbuf_printf(err, "cannot write %s: %s", path, why(errno));
        return -1;
    }
    struct stat st;
    const char *bad = NULL;
    if (fstat(fd, &st) < 0)
        bad = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        bad = "not a regular file";
    else if (st.st_nlink != 1)
        bad = "it has another name (a hard link), and a dump writes only a file of its own";
    else if (ftruncate(fd, 0) < 0)
        bad = strerror(errno);
    for (size_t done = 0; !bad && done < len;) {
        ssize_t n = write(fd, text + done, len - done);
        if (n > 0)
            done += (size_t)n;
        else if (n == 0)
            bad = "the file takes no more bytes";
        else if (errno != EINTR)
            bad = strerror(errno);
    }
    if (close(fd) < 0 && !bad)
        bad = strerror(errno);
    if (bad) {
        sbuf_printf(err, "cannot write %s: %s", path, bad);
        return -1;
    }
    return 0;
}
