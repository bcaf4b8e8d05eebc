/* commit.c: the commit total and the overcommit modes (see commit.h). */
#include "mm/commit.h"
#include "mm/frame.h"
#include "linux/errno.h"

enum overcommit_mode overcommit_mode = OVERCOMMIT_GUESS;
uint32_t overcommit_ratio = 50;

static uint32_t committed;             /* pages promised, over all processes */

uint32_t commit_limit_pages(void)
{
    /* Linux: swap + RAM * ratio / 100. bunshin has no swap. 64-bit: a
     * ratio may be set above 100. */
    return (uint32_t)((uint64_t)frames_total() * overcommit_ratio / 100);
}

uint32_t committed_pages(void)
{
    return committed;
}

int commit_charge(uint32_t pages)
{
    switch (overcommit_mode) {
    case OVERCOMMIT_ALWAYS:
        break;
    case OVERCOMMIT_GUESS:
        /* Only the obvious overcommit is refused: one request for more
         * memory than there is at all. Everything else is a bet that most
         * promises are never called in, which is what fork and sparse
         * reservations make true. */
        if (pages > frames_total())
            return -ENOMEM;
        break;
    case OVERCOMMIT_NEVER:
        if (pages > commit_limit_pages() || committed > commit_limit_pages() - pages)
            return -ENOMEM;
        break;
    }
    committed += pages;
    return 0;
}

void commit_uncharge(uint32_t pages)
{
    committed -= pages;
}
