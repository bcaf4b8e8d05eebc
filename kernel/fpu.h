/* fpu.h: each process's x87/SSE registers.
 *
 * The floating-point and SSE registers belong to whichever program uses them,
 * so they are saved (fxsave) when a process leaves the CPU and restored
 * (fxrstor) when it comes back, into a 512-byte area per process. musl's
 * printf("%f") computes with the x87, so without this two programs printing
 * floats would corrupt each other's digits. The kernel itself is built with
 * -mgeneral-regs-only and never touches these registers.
 */
#ifndef FPU_H
#define FPU_H

#include "types.h"

#define FPU_AREA_SIZE 512

/* Turn on the FPU and SSE (CR0, CR4.OSFXSR, CR4.OSXMMEXCPT) and record the
 * clean state new programs start with. Panics without fxsave (FXSR). */
void fpu_init(void);
/* Fill area with the clean state (execve: a new program starts fresh). */
void fpu_init_state(uint8_t *area);
void fpu_save(uint8_t *area);
void fpu_restore(const uint8_t *area);
/* The MXCSR bits this CPU has: fxrstor of any other bit faults (#GP), so
 * an MXCSR a program hands back (sigreturn) is masked with this first. */
uint32_t fpu_mxcsr_mask(void);
/* The SIGFPE si_code (FPE_FLTINV, FPE_FLTDIV...) for the floating-point
 * exception recorded in area's status (x87's, or MXCSR's if simd), or 0 if
 * none is both raised and unmasked. */
int fpu_exception_code(const uint8_t *area, bool simd);

#endif
