/*
 * fuzz_scenario.c - libFuzzer target: the scenario parser.
 *
 * Parses arbitrary bytes as a scenario file: it must either accept them or
 * list errors, never crash, hang or leak.  Accepted scenarios are not run
 * here; fuzz_engine.c runs them.
 *
 *   make fuzz FUZZ_TARGETS=scenario FUZZ_SECONDS=60
 */
#include "fuzz.h"
#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sbuf errors = {0};
    unsigned nerrors = 0;
    struct scenario *sc = scenario_parse("fuzz.scn", (const char *)data, size, &errors, &nerrors);
    if (sc) {
        (void)scenario_title(sc);
        (void)scenario_steps(sc);
        scenario_free(sc);
    }
    sbuf_free(&errors);
    return 0;
}
