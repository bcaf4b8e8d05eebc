// t_sigfpu: the FPU and SSE state across a signal handler.
//
// A program's x87 and SSE registers are its own, and a signal may arrive
// between any two instructions: so the kernel saves them in the signal
// frame, gives the handler a clean FPU (control word 0x37F, MXCSR 0x1F80,
// as after fninit), and puts them back with sigreturn. The program loads
// 1.5 into st(0), 1 2 3 4 into xmm0 and xmm7, a control word of 0x27F
// (53-bit precision) and an MXCSR of 0x9F80 (flush to zero), then sends
// itself a signal with a raw int $0x80; the handler checks what it starts
// with and clobbers all of it; after the handler the program stores its
// registers again. With SA_SIGINFO (the rt frame, rt_sigreturn) the
// handler also finds the interrupted state in uc_mcontext.fpregs, inside
// the frame, in the old FSAVE layout; without (the old frame, sigreturn)
// the same round runs again.
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "bunshin.h"
#include "sig_common.h"

static volatile unsigned h_cw, h_mxcsr, f_cw, f_exp, f_sig3;
static volatile int f_inside;

static void fpu_common(void)
{
    unsigned short cw;
    unsigned mx;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("stmxcsr %0" : "=m"(mx));
    h_cw = cw;
    h_mxcsr = mx;
    // Clobber what the program had: another x87 stack, xmm0 and xmm7,
    // another control word and MXCSR.
    static const float junk[4] = { 9, 9, 9, 9 };
    static const double d = 3.25;
    static const unsigned short cw2 = 0x7f;
    static const unsigned mx2 = 0x1f80 | 0x40;
    __asm__ volatile("fninit\n fldl %0\n fldpi\n fldpi\n"
                     "movups %1, %%xmm0\n movups %1, %%xmm7\n"
                     "fldcw %2\n ldmxcsr %3\n"
                     :
                     : "m"(d), "m"(junk), "m"(cw2), "m"(mx2));
}

static void fpu_rt(int sig, siginfo_t *si, void *p)
{
    (void)sig, (void)si;
    ucontext_t *uc = p;
    fpregset_t fp = uc->uc_mcontext.fpregs;
    f_inside = fp && (char *)fp > (char *)uc && (char *)fp < (char *)uc + 4096;
    if (fp) {
        f_cw = fp->cw & 0xffff;
        f_exp = fp->_st[0].exponent;
        f_sig3 = fp->_st[0].significand[3];
    }
    fpu_common();
}

static void fpu_old(int sig)
{
    (void)sig;
    fpu_common();
}

static int has_sse(void)
{
    unsigned a = 1, b, c, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    return (d >> 25) & 1;
}

static void fpu_round(const char *kind)
{
    double in = 1.5, out = 0;
    float xin[4] = { 1, 2, 3, 4 }, x0[4] = { 0 }, x7[4] = { 0 };
    unsigned short cw = 0x27f, cwout = 0;     // 53-bit precision, not the default
    unsigned mx = 0x9f80, mxout = 0;          // flush to zero, not the default
    int pid = getpid();
    __asm__ volatile("fldcw %[cw]\n ldmxcsr %[mx]\n fldl %[in]\n"
                     "movups %[xin], %%xmm0\n movups %[xin], %%xmm7\n"
                     "movl $37, %%eax\n int $0x80\n"
                     "fstpl %[out]\n movups %%xmm0, %[x0]\n movups %%xmm7, %[x7]\n"
                     "fnstcw %[cwout]\n stmxcsr %[mxout]\n"
                     : [out] "=m"(out), [x0] "=m"(x0), [x7] "=m"(x7), [cwout] "=m"(cwout),
                       [mxout] "=m"(mxout)
                     : [cw] "m"(cw), [mx] "m"(mx), [in] "m"(in), [xin] "m"(xin), "b"(pid),
                       "c"(SIGUSR1)
                     : "eax", "memory");
    check(h_cw == 0x37f && h_mxcsr == 0x1f80, tname("fpu.%s.clean_in_handler", kind),
          "the handler started with control word %#x and MXCSR %#x, expected 0x37f and "
          "0x1f80",
          h_cw, h_mxcsr);
    check(out == 1.5 && cwout == 0x27f, tname("fpu.%s.x87_restored", kind),
          "after the handler st(0) is %g (was 1.5), the control word %#x (was 0x27f)", out,
          cwout);
    check(memcmp(x0, xin, sizeof xin) == 0 && memcmp(x7, xin, sizeof xin) == 0 &&
              mxout == 0x9f80,
          tname("fpu.%s.sse_restored", kind),
          "after the handler xmm0 = %g %g %g %g, xmm7 = %g %g %g %g (were 1 2 3 4), MXCSR "
          "%#x (was 0x9f80)",
          x0[0], x0[1], x0[2], x0[3], x7[0], x7[1], x7[2], x7[3], mxout);
}

static void part_fpu(void)
{
    if (!has_sse()) {
        skip("fpu.sse", "this CPU has no SSE");
        return;
    }
    set_info_handler(SIGUSR1, fpu_rt, 0);
    fpu_round("rt");
    // 1.5 in the x87's 80 bits: exponent 0x3fff, significand 0xc000 0 0 0.
    check(f_inside && f_cw == 0x27f && f_exp == 0x3fff && f_sig3 == 0xc000, "fpu.rt.in_frame",
          "uc_mcontext.fpregs %s the frame; its control word %#x (0x27f), st(0) exponent "
          "%#x (0x3fff), top significand word %#x (0xc000)",
          f_inside ? "inside" : "not inside", f_cw, f_exp, f_sig3);
    set_handler(SIGUSR1, fpu_old, 0);
    fpu_round("old");
}

int main(void)
{
    static const struct sig_part parts[] = { { "fpu", part_fpu } };
    return sig_run_parts("sigfpu", parts, 1);
}
