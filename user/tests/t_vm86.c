// t_vm86: a program's own iret with EFLAGS.VM set ends that program at
// worst, never the kernel.
//
// On a real CPU, an iret in ring 3 ignores the VM flag of the EFLAGS it
// pops. QEMU's emulator does not: it enters virtual-8086 mode, where the
// program's next instruction faults with a real-mode CS (0x0023 here,
// whose low bits say nothing about the ring). Until issue 9 bunshin took
// such a fault for its own and panicked; a trap with EFLAGS.VM set now
// counts as one from user mode, as Linux's user_mode() has it, and the
// program dies by SIGSEGV. (Found by the fuzzer, t_fuzz: a bit flip in
// /bin/true turned its int $0x80 into an iret.)
//
// The child builds the frame an iret to virtual-8086 mode pops (EIP, CS,
// EFLAGS with VM, ESP, SS, ES, DS, FS, GS), with a CS of 0x10, whose low
// bits are ring 0's. Where VM is ignored, loading that CS in ring 3 is a
// general protection fault; where VM is obeyed, the first instruction in
// virtual-8086 mode faults (page 0 is not mapped). Either way the child
// dies by SIGSEGV, and the kernel carries on.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"

static unsigned long saved_esp __attribute__((used));   // read by the asm below

static void iret_to_vm86(void *arg)
{
    (void)arg;
    __asm__ volatile(
        "movl %%esp, saved_esp\n"
        "pushl %%gs\n"
        "pushl %%fs\n"
        "pushl %%ds\n"
        "pushl %%es\n"
        "pushl %%ss\n"
        "pushl saved_esp\n"
        "pushfl\n"
        "orl $0x20000, (%%esp)\n"        // EFLAGS.VM
        "pushl $0x10\n"                  // CS: ring 0's bits, as real mode allows
        "pushl $1f\n"
        "iret\n"
        "1: movl saved_esp, %%esp\n"     // not reached
        ::: "memory", "cc");
    _exit(0);
}

static void nothing(void *arg)
{
    (void)arg;
}

int main(void)
{
    long before = memfree_start();
    int st = run_child(iret_to_vm86, NULL);
    check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, "vm86.iret_kills_the_program",
          "the child %s (SIGSEGV expected)", status_str(st));
    // The kernel carried on, and still makes processes.
    st = run_child(nothing, NULL);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "vm86.fork_after", "a child after it %s",
          status_str(st));
    memfree_check("vm86.memfree_restored", before);
    return test_status();
}
