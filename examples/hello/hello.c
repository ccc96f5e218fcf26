/* The smallest useful container: every activation writes one line to its log.
 * Needs the "log" permission and nothing else. */
#include "tinycontainer.h"
#include "tinycontainer_text.h"

static const char kGreeting[] = "hello from a container";

TC_EXPORT("tc_loop") int tc_loop(void) {
  /* A dropped line (log rate limit) is not a reason to stop: returning 0 keeps the container
   * running until its next period. */
  (void)tc_log(kGreeting, sizeof kGreeting - 1);
  return 0;
}
