/* fpu.c: x87/SSE state per process (see fpu.h). */
#include "kernel/fpu.h"
#include "linux/siginfo.h"
#include "printk.h"
#include "lib/string.h"
#include "x86.h"

#define CR0_MP 0x00000002u    /* monitor coprocessor: wait/fwait honour TS */
#define CR0_EM 0x00000004u    /* emulation: must be off to use the FPU */
#define CR0_TS 0x00000008u    /* task switched: would trap the next FPU use */
#define CR0_NE 0x00000020u    /* report x87 errors as exception 16 */
#define CR4_OSFXSR     0x00000200u   /* the OS saves SSE state with fxsave */
#define CR4_OSXMMEXCPT 0x00000400u   /* the OS handles SIMD exceptions (#XM) */
#define CPUID_FXSR (1u << 24)
#define CPUID_SSE  (1u << 25)

static uint8_t clean_state[FPU_AREA_SIZE] __attribute__((aligned(16)));

void fpu_init(void)
{
    uint32_t a = 1, b, c, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    if (!(d & CPUID_FXSR))
        panic("this CPU has no fxsave/fxrstor");
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
    uint32_t cr4 = read_cr4() | CR4_OSFXSR;
    if (d & CPUID_SSE)
        cr4 |= CR4_OSXMMEXCPT;
    write_cr4(cr4);
    /* fninit gives the x87 its default control word (0x37F); MXCSR's default
     * (0x1F80: all SIMD exceptions masked) is set by hand. */
    uint32_t mxcsr = 0x1F80;
    __asm__ volatile("fninit");
    if (d & CPUID_SSE)
        __asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
    fpu_save(clean_state);
}

void fpu_init_state(uint8_t *area)
{
    memcpy(area, clean_state, FPU_AREA_SIZE);
}

void fpu_save(uint8_t *area)
{
    __asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const uint8_t *area)
{
    __asm__ volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

uint32_t fpu_mxcsr_mask(void)
{
    /* fxsave stores the mask at byte 28; 0 there means the CPU predates
     * the field, and then the bits are those of the first SSE CPUs
     * (Intel SDM vol. 1, 11.6.6). */
    uint32_t mask;
    memcpy(&mask, clean_state + 28, 4);
    return mask ? mask : 0xFFBF;
}

int fpu_exception_code(const uint8_t *area, bool simd)
{
    /* The exception flags raised and not masked: x87 flags are the status
     * word's bits 0-5 and masks the control word's; MXCSR holds both, the
     * masks 7 bits above the flags. The bits mean the same in both. */
    uint32_t raised;
    if (simd) {
        uint32_t mxcsr;
        memcpy(&mxcsr, area + 24, 4);
        raised = mxcsr & ~(mxcsr >> 7);
    } else {
        uint16_t cw, sw;
        memcpy(&cw, area, 2);
        memcpy(&sw, area + 2, 2);
        raised = sw & ~cw;
    }
    if (raised & 0x01)
        return FPE_FLTINV;                /* invalid operation */
    if (raised & 0x04)
        return FPE_FLTDIV;                /* divide by zero */
    if (raised & 0x08)
        return FPE_FLTOVF;                /* overflow */
    if (raised & 0x12)
        return FPE_FLTUND;                /* underflow, or a denormal operand */
    if (raised & 0x20)
        return FPE_FLTRES;                /* inexact result */
    return 0;
}
