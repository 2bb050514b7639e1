/*
 * test_textfile.c - textfile_write, the write behind `dump`: a regular
 * file is created or replaced; a symbolic link, a hard link, a FIFO or a
 * path leaving the scenario's directory is refused and nothing changes.
 * And a lesson's `dump` writes beside the lesson, through the presenter.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "textfile.h"
#include "util.h"

/* A fresh directory under tests/tmp/unit; the caller removes it. */
static bool scratch(char dir[64])
{
    if ((mkdir("tests/tmp", 0777) < 0 && errno != EEXIST) ||
        (mkdir("tests/tmp/unit", 0777) < 0 && errno != EEXIST))
        return false;
    snprintf(dir, 64, "tests/tmp/unit/textfile-XXXXXX");
    return mkdtemp(dir) != NULL;
}

static const char *at(struct sbuf *b, const char *dir, const char *name)
{
    sbuf_reset(b);
    sbuf_printf(b, "%s/%s", dir, name);
    return sbuf_str(b);
}

/* The file's whole content ("" if it cannot be read; the caller frees). */
static char *slurp(const char *path)
{
    struct sbuf b = {0};
    char buf[256];
    int fd = open(path, O_RDONLY);
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
        sbuf_addn(&b, buf, (size_t)n);
    if (fd >= 0)
        close(fd);
    return b.s ? b.s : xstrdup("");
}

static bool put(const char *path, const char *text)
{
    struct sbuf err = {0};
    int rc = textfile_write(NULL, path, text, strlen(text), &err);
    sbuf_free(&err);
    return rc == 0;
}

/* Writes through (dir, name) must fail with a message containing `want`,
 * and `victim` must still hold "precious". */
static void check_refused(const char *dir, const char *name, const char *want, const char *victim,
                          int line)
{
    struct sbuf err = {0};
    if (textfile_write(dir, name, "dump\n", 5, &err) == 0)
        harness_fail(__FILE__, line, "writing %s (beneath %s) succeeded", name, dir ? dir : "-");
    else if (!strstr(sbuf_str(&err), want))
        harness_fail(__FILE__, line, "message \"%s\" lacks \"%s\"", sbuf_str(&err), want);
    char *got = slurp(victim);
    if (strcmp(got, "precious") != 0)
        harness_fail(__FILE__, line, "%s now holds \"%s\"", victim, got);
    free(got);
    sbuf_free(&err);
}

void test_textfile_writes_regular_files(void)
{
    char dir[64];
    struct sbuf p = {0}, err = {0};
    REQUIRE(scratch(dir));
    /* Created, then replaced whole by a shorter text. */
    CHECK(put(at(&p, dir, "a.txt"), "a longer first text\n"));
    CHECK(put(at(&p, dir, "a.txt"), "short\n"));
    char *got = slurp(at(&p, dir, "a.txt"));
    CHECK_STR(got, "short\n");
    free(got);
    /* With a directory, the name is beside it, not in the current one. */
    CHECK_EQ(textfile_write(dir, "b.txt", "beside\n", 7, &err), 0);
    got = slurp(at(&p, dir, "b.txt"));
    CHECK_STR(got, "beside\n");
    free(got);
    CHECK(access("b.txt", F_OK) < 0);
    /* A missing directory is the usual error. */
    CHECK_EQ(textfile_write(NULL, "/nonexistent-dir/x.txt", "x", 1, &err), -1);
    CHECK_CONTAINS(sbuf_str(&err), "cannot write /nonexistent-dir/x.txt: No such file");
    unlink(at(&p, dir, "a.txt"));
    unlink(at(&p, dir, "b.txt"));
    rmdir(dir);
    sbuf_free(&p);
    sbuf_free(&err);
}

void test_textfile_refuses_links_and_devices(void)
{
    char dir[64];
    struct sbuf p = {0}, victim = {0};
    REQUIRE(scratch(dir));
    sbuf_printf(&victim, "%s/victim", dir);
    REQUIRE(put(sbuf_str(&victim), "precious"));

    /* A symbolic link, in a scenario's directory or at the prompt. */
    REQUIRE(symlink("victim", at(&p, dir, "link.txt")) == 0);
    check_refused(dir, "link.txt", "cannot write link.txt: a symbolic link", sbuf_str(&victim),
                  __LINE__);
    check_refused(NULL, at(&p, dir, "link.txt"), "a symbolic link", sbuf_str(&victim), __LINE__);
    /* A dangling one creates nothing where it points. */
    REQUIRE(symlink("created", at(&p, dir, "dangling.txt")) == 0);
    check_refused(dir, "dangling.txt", "a symbolic link", sbuf_str(&victim), __LINE__);
    CHECK(access(at(&p, dir, "created"), F_OK) < 0);
    /* A linked directory on the way, beneath a scenario's directory. */
    REQUIRE(symlink(".", at(&p, dir, "sub")) == 0);
    check_refused(dir, "sub/victim", "a symbolic link", sbuf_str(&victim), __LINE__);
    /* Out of the scenario's directory. */
    check_refused(dir, "../victim", "outside the scenario's directory", sbuf_str(&victim),
                  __LINE__);
    /* A second name for the victim. */
    REQUIRE(link(sbuf_str(&victim), at(&p, dir, "hard.txt")) == 0);
    check_refused(dir, "hard.txt", "another name (a hard link)", sbuf_str(&victim), __LINE__);
    /* A FIFO: refused at once, whether or not someone reads it. */
    REQUIRE(mkfifo(at(&p, dir, "fifo.txt"), 0600) == 0);
    check_refused(dir, "fifo.txt", "not a regular file", sbuf_str(&victim), __LINE__);
    int reader = open(at(&p, dir, "fifo.txt"), O_RDONLY | O_NONBLOCK);
    CHECK(reader >= 0);
    check_refused(dir, "fifo.txt", "not a regular file", sbuf_str(&victim), __LINE__);
    if (reader >= 0)
        close(reader);
    /* A directory. */
    check_refused(NULL, dir, "cannot write", sbuf_str(&victim), __LINE__);

    static const char *const names[] = {"link.txt", "dangling.txt", "sub",
                                        "hard.txt", "fifo.txt",     "victim"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        unlink(at(&p, dir, names[i]));
    CHECK_EQ(rmdir(dir), 0);
    sbuf_free(&p);
    sbuf_free(&victim);
}

/* A lesson opened in the presenter (from the menu, a lesson's lines run at
 * once): its dumps land beside it whatever the current directory, and one
 * through a planted link fails with the lesson's file:line. */
void test_textfile_lesson_dump_beside_the_lesson(void)
{
    char dir[64];
    struct sbuf p = {0}, victim = {0}, b = {0}, want = {0};
    struct grid g = {0};
    REQUIRE(scratch(dir));
    sbuf_printf(&victim, "%s/victim", dir);
    REQUIRE(put(sbuf_str(&victim), "precious"));
    REQUIRE(symlink("victim", at(&p, dir, "link.txt")) == 0);
    REQUIRE(put(at(&p, dir, "s.scn"), "connect a\ntick\ndump beside.txt\ndump link.txt\n"));
    struct presenter *pr = new_presenter(sbuf_str(&p));
    REQUIRE(pr);
    presenter_resize(pr, 200, 30);
    char *got = slurp(sbuf_str(&victim));
    CHECK_STR(got, "precious");
    free(got);
    CHECK(access(at(&p, dir, "beside.txt"), F_OK) == 0);
    CHECK(access("beside.txt", F_OK) < 0);
    sbuf_printf(&want, "%s/s.scn:4: error: cannot write link.txt: a symbolic link", dir);
    CHECK_CONTAINS(screen(pr, &g, &b), sbuf_str(&want));
    /* At the prompt, a path is as given, and a link is refused there too. */
    sbuf_reset(&want);
    sbuf_printf(&want, "dump %s/link.txt", dir);
    CHECK_EQ(presenter_command(pr, sbuf_str(&want)), -1);
    got = slurp(sbuf_str(&victim));
    CHECK_STR(got, "precious");
    free(got);
    fixture_presenter_free(pr);

    static const char *const names[] = {"link.txt", "beside.txt", "s.scn", "victim"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        unlink(at(&p, dir, names[i]));
    CHECK_EQ(rmdir(dir), 0);
    grid_free(&g);
    sbuf_free(&p);
    sbuf_free(&victim);
    sbuf_free(&b);
    sbuf_free(&want);
}
