/*
 * replay.c - main() for a fuzz target without libFuzzer: runs each file
 * named (every file of a directory named, in name order) once through
 * LLVMFuzzerTestOneInput.  `make test` builds every target with it and
 * replays the seed corpus, so the targets keep compiling with the normal
 * compiler and every input that ever found a bug stays a regression test.
 *
 *   build/fuzz/replay-engine tests/fuzz/corpus/engine scenarios
 *
 * Prints "# FILE" before each input (the last one names the input that
 * crashed) and "replayed N inputs" at the end; exit 2 if a file cannot
 * be read.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct sbuf data = {0};
    char buf[4096];
    size_t n;
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sbuf_addn(&data, buf, n);
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        sbuf_free(&data);
        return -1;
    }
    printf("# %s\n", path);
    fflush(stdout);
    LLVMFuzzerTestOneInput((const uint8_t *)sbuf_str(&data), data.len);
    sbuf_free(&data);
    return 0;
}

static int skip_dots(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

int main(int argc, char **argv)
{
    unsigned inputs = 0;
    int status = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        struct dirent **names;
        if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
            if (replay_file(argv[i]) < 0)
                status = 2;
            else
                inputs++;
            continue;
        }
        int n = scandir(argv[i], &names, skip_dots, alphasort);
        if (n < 0) {
            fprintf(stderr, "replay: cannot list %s\n", argv[i]);
            status = 2;
            continue;
        }
        for (int k = 0; k < n; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
            if (replay_file(path) < 0)
                status = 2;
            else
                inputs++;
            free(names[k]);
        }
        free(names);
    }
    printf("replayed %u inputs\n", inputs);
    return status;
}
