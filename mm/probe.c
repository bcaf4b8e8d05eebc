/* probe.c: the kernel instructions that are allowed to fault, each with the
 * place to resume at when it does: the probes, and the user-copy loops. */
#include "mm/probe.h"

/* Labels in probe.asm. Declared as functions only to take their addresses. */
extern void probe_read_insn(void), probe_read_fail(void);
extern void probe_write_insn(void), probe_write_fail(void);
extern void user_copy_insn(void), user_copy_fail(void);          /* usercopy.asm */
extern void user_strncpy_insn(void), user_strncpy_fail(void);

uint32_t probe_fixup(uint32_t eip, bool *report)
{
    *report = true;
    if (eip == (uint32_t)probe_read_insn)
        return (uint32_t)probe_read_fail;
    if (eip == (uint32_t)probe_write_insn)
        return (uint32_t)probe_write_fail;
    *report = false;
    if (eip == (uint32_t)user_copy_insn)
        return (uint32_t)user_copy_fail;
    if (eip == (uint32_t)user_strncpy_insn)
        return (uint32_t)user_strncpy_fail;
    return 0;
}
