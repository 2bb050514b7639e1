/* Every unit test, listed once: X(name) with name defined in a test_*.c.
 * Each area keeps its own list file so they can grow independently. */
#include "list_util.h"
#include "list_parser.h"
#include "list_server.h"
#include "list_hostloop.h"
#include "list_view.h"
#include "list_compare.h"
#include "list_jobs.h"
#include "list_live.h"
#include "list_files.h"
#include "list_scroll.h"
#include "list_options.h"
#include "list_narration.h"
