/* sigcontext.h: the saved state in a signal frame, as Linux i386 lays it
 * out on the user stack: the registers (struct sigcontext), the x87/SSE
 * state (struct _fpstate: an FSAVE-style header, then the 512 bytes of an
 * fxsave image), the ucontext of an SA_SIGINFO handler, and the alternate
 * signal stack's description (stack_t).
 * Linux: <asm/signal.h> <asm/sigcontext.h> <asm/ucontext.h> */
#ifndef SIGCONTEXT_H
#define SIGCONTEXT_H

#include "types.h"

struct _fpreg {
    uint16_t significand[4];
    uint16_t exponent;
};

#define X86_FXSR_MAGIC 0x0000   /* in _fpstate.magic: the fxsave image follows */

/* 624 bytes: 112 of the FSAVE layout, then the fxsave image at offset 112. */
struct _fpstate {
    uint32_t cw, sw, tag, ipoff, cssel, dataoff, datasel;
    struct _fpreg _st[8];
    uint16_t status;
    uint16_t magic;             /* 0xffff: only the FSAVE part; 0: FXSR follows */
    uint8_t fxsave[512];        /* what fxsave writes (the kernel's FPU area) */
};
_Static_assert(sizeof(struct _fpstate) == 624, "struct _fpstate is 624 bytes on i386");

/* The interrupted registers (Linux's sigcontext_32). */
struct sigcontext {
    uint16_t gs, __gsh;
    uint16_t fs, __fsh;
    uint16_t es, __esh;
    uint16_t ds, __dsh;
    uint32_t di, si, bp, sp, bx, dx, cx, ax;
    uint32_t trapno;            /* the exception, for a fault */
    uint32_t err;               /* its error code */
    uint32_t ip;
    uint16_t cs, __csh;
    uint32_t flags;
    uint32_t sp_at_signal;
    uint16_t ss, __ssh;
    uint32_t fpstate;           /* user address of a struct _fpstate, or 0 */
    uint32_t oldmask;           /* the low 32 bits of the mask before the handler */
    uint32_t cr2;               /* the address of a page fault */
};
_Static_assert(sizeof(struct sigcontext) == 88, "struct sigcontext is 88 bytes on i386");

/* sigaltstack's argument. */
typedef struct {
    uint32_t ss_sp;             /* lowest address of the stack */
    int32_t ss_flags;           /* SS_ONSTACK, SS_DISABLE */
    uint32_t ss_size;
} stack_t;

/* What an SA_SIGINFO handler gets as its third argument. */
struct ucontext {
    uint32_t uc_flags;
    uint32_t uc_link;
    stack_t uc_stack;
    struct sigcontext uc_mcontext;
    uint64_t uc_sigmask;        /* the mask before the handler ran */
};
_Static_assert(sizeof(struct ucontext) == 116, "struct ucontext is 116 bytes on i386");

#define UC_FP_XSTATE         0x1

#endif
