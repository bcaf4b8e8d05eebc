/* probe.c: the table that links each probe instruction to its failure exit. */
#include "mm/probe.h"

/* Labels in probe.asm. Declared as functions only to take their addresses. */
extern void probe_read_insn(void), probe_read_fail(void);
extern void probe_write_insn(void), probe_write_fail(void);

uint32_t probe_fixup(uint32_t eip)
{
    if (eip == (uint32_t)probe_read_insn)
        return (uint32_t)probe_read_fail;
    if (eip == (uint32_t)probe_write_insn)
        return (uint32_t)probe_write_fail;
    return 0;
}
