// t_fault: a faulting user program is ended with the matching signal (as
// its parent's wait status shows), and everything else carries on.
// Each fault runs in its own child.
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include "bunshin.h"

static volatile int zero;   // read through volatile: the compiler may not drop it

static void null_read(void *a) { (void)a; zero = *(volatile int *)0; }
static void null_write(void *a) { (void)a; *(volatile int *)0 = 1; }
static void kernel_read(void *a) { (void)a; zero = *(volatile int *)0xC0000000; }
static void kernel_write(void *a) { (void)a; *(volatile int *)0xC0100000 = 1; }
static void top_read(void *a) { (void)a; zero = *(volatile int *)0xFFFFFFF0; }
static void text_write(void *a)
{
    (void)a;
    // The code is mapped read-only: writing into it faults.
    *(volatile unsigned char *)(uintptr_t)text_write = 0xc3;
}
static void jump_null(void *a) { (void)a; ((void (*)(void))0)(); }
static void jump_kernel(void *a) { (void)a; ((void (*)(void))0xC0100000)(); }
static void divide_zero(void *a)
{
    (void)a;
    // In assembly: gcc turns 1 / x into compares, without a division.
    __asm__ volatile("xorl %%edx, %%edx; movl $1, %%eax; divl %0" : : "r"(zero) : "eax", "edx");
}
static void invalid_opcode(void *a) { (void)a; __asm__ volatile("ud2"); }
static void breakpoint(void *a) { (void)a; __asm__ volatile("int3"); }
static void privileged(void *a) { (void)a; __asm__ volatile("hlt"); }
static void cli(void *a) { (void)a; __asm__ volatile("cli"); }
// Interrupt gates the user may not call (DPL 0): a general protection fault.
static void int_pagefault(void *a) { (void)a; __asm__ volatile("int $0x0e"); }
static void int_timer(void *a) { (void)a; __asm__ volatile("int $0x20"); }
static void load_bad_segment(void *a)
{
    (void)a;
    // Selector 0x08 is the kernel's code segment: RPL 3 may not load it.
    __asm__ volatile("movw $0x0b, %%ax; movw %%ax, %%ds" ::: "eax");
}

struct fault {
    const char *name;
    void (*fn)(void *);
    int sig;
};

static const struct fault faults[] = {
    { "null_read", null_read, SIGSEGV },
    { "null_write", null_write, SIGSEGV },
    { "kernel_read", kernel_read, SIGSEGV },
    { "kernel_write", kernel_write, SIGSEGV },
    { "top_of_memory_read", top_read, SIGSEGV },
    { "text_write", text_write, SIGSEGV },
    { "jump_null", jump_null, SIGSEGV },
    { "jump_kernel", jump_kernel, SIGSEGV },
    { "divide_by_zero", divide_zero, SIGFPE },
    { "invalid_opcode", invalid_opcode, SIGILL },
    { "breakpoint", breakpoint, SIGTRAP },
    { "hlt", privileged, SIGSEGV },
    { "cli", cli, SIGSEGV },
    { "int_0x0e", int_pagefault, SIGSEGV },
    { "int_0x20", int_timer, SIGSEGV },
    { "kernel_segment", load_bad_segment, SIGSEGV },
};

int main(void)
{
    for (unsigned i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        const struct fault *f = &faults[i];
        int st = run_child(f->fn, NULL);
        check(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == f->sig,
              tname("fault.%s", f->name), "expected to be killed by %s, but %s",
              signame(f->sig), status_str(st));
    }
    return test_status();
}
