; mm/probe.asm: memory accesses that are allowed to fault (see probe.h).
; Written in assembly so that the faulting instruction has a label of its
; own, which probe_fixup compares with the eip of the fault.

section .text

; int probe_read_byte(const volatile void *addr, uint8_t *out)
global probe_read_byte
global probe_read_insn
global probe_read_fail
probe_read_byte:
    mov edx, [esp + 4]
probe_read_insn:
    mov al, [edx]                ; may fault
    mov ecx, [esp + 8]
    mov [ecx], al
    xor eax, eax
    ret
probe_read_fail:
    mov eax, -14                 ; -EFAULT
    ret

; int probe_write_byte(volatile void *addr, uint8_t v)
global probe_write_byte
global probe_write_insn
global probe_write_fail
probe_write_byte:
    mov edx, [esp + 4]
    mov eax, [esp + 8]
probe_write_insn:
    mov [edx], al                ; may fault
    xor eax, eax
    ret
probe_write_fail:
    mov eax, -14
    ret
