// exec_probe: an exec target that looks at the process before any library
// code runs. It is linked with its own entry point, probe_start (user.mk
// passes -Wl,-e,probe_start), which records the registers and the stack
// pointer the kernel gave it and checks that everything from the end of
// the file's data (_edata) to the end of the bss page is zero, then jumps
// to musl's _start as if nothing had happened. Its bss holds 4 MiB.
// main then reports what the stub saw. Exit status 0 if every check passed.
#include <stdint.h>
#include <string.h>

#include "bunshin.h"

#define BIG (4 << 20)
static unsigned char big_bss[BIG];
static int data_word = 0x12345678;

// Written by the stub; initialised so that they live in .data, not in the
// bss being checked.
uint32_t probe_edx = 0xdeadbeef;
uint32_t probe_esp = 1;
uint32_t probe_nonzero = 0xdeadbeef;   // bytes that were not zero
uint32_t probe_scanned = 0;            // bytes scanned

// Entry: count non-zero bytes in [_edata, end of _end's page), restore the
// registers the kernel set, and go on to _start. Only eax, ecx and esi
// are used; edx and esp are left as the kernel set them.
__asm__(
    ".text\n"
    ".globl probe_start\n"
    "probe_start:\n"
    "    movl %edx, probe_edx\n"
    "    movl %esp, probe_esp\n"
    "    movl $_edata, %esi\n"
    "    xorl %ecx, %ecx\n"
    "    movl $_end + 4095, %eax\n"
    "    andl $-4096, %eax\n"
    "1:  cmpl %eax, %esi\n"
    "    jae 3f\n"
    "    cmpb $0, (%esi)\n"
    "    je 2f\n"
    "    incl %ecx\n"
    "2:  incl %esi\n"
    "    jmp 1b\n"
    "3:  movl %ecx, probe_nonzero\n"
    "    subl $_edata, %esi\n"
    "    movl %esi, probe_scanned\n"
    "    xorl %eax, %eax\n"
    "    xorl %ecx, %ecx\n"
    "    xorl %esi, %esi\n"
    "    jmp _start\n");

extern char _edata[], _end[];

int main(int argc, char **argv, char **envp)
{
    check_eq("exec.entry_edx_zero", 0, probe_edx);
    check_eq("exec.entry_stack_aligned", 0, probe_esp % 16);
    // At entry esp points at argc, then argv[], NULL, envp[], NULL, auxv.
    uint32_t *sp = (uint32_t *)probe_esp;
    int layout = probe_esp > 1 && (int)sp[0] == argc && (char **)(sp + 1) == argv &&
                 sp[1 + argc] == 0 && (char **)(sp + 2 + argc) == envp;
    check(layout, "exec.entry_stack_layout",
          "esp %#x: [esp] %u (argc %d), argv at %p (main's %p), envp at %p (main's %p)",
          probe_esp, sp[0], argc, (void *)(sp + 1), (void *)argv, (void *)(sp + 2 + argc),
          (void *)envp);

    uint32_t expected = ((((uint32_t)_end) + 4095) & ~4095u) - (uint32_t)_edata;
    check(probe_scanned == expected && expected > BIG, "exec.bss_scanned",
          "the stub scanned %u bytes, expected %u", probe_scanned, expected);
    check(probe_nonzero == 0, "exec.bss_zero_at_entry",
          "%u of the %u bytes from _edata (%p) to the end of the bss page were not zero",
          probe_nonzero, probe_scanned, (void *)_edata);
    check_eq("exec.data_loaded_probe", 0x12345678, data_word);

    // The big bss is usable memory: a pattern written to every page reads back.
    for (size_t i = 0; i < BIG; i += 4096)
        big_bss[i] = big_bss[i + 4095] = (unsigned char)(i >> 12) | 1;
    int bad = 0;
    for (size_t i = 0; i < BIG; i += 4096)
        bad += big_bss[i] != ((unsigned char)(i >> 12) | 1) || big_bss[i + 4095] != big_bss[i];
    check(bad == 0, "exec.big_bss_writable", "%d of %d pages did not keep what was written",
          bad, BIG / 4096);
    (void)envp;
    return test_status();
}
