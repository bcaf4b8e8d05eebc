; boot/higher_half.asm: the first instructions at the kernel's own address.
;
; _start (boot/boot.asm) jumps here, to 0xC01xxxxx, once paging is on. This
; sets up the boot stack and calls kmain(magic, Multiboot info address).
;
; It has a file of its own because nasm's debug information gives gdb one
; address range per file: with _start (at 1 MiB) and this (at 0xC01xxxxx) in
; one file, that range would cover 3 GiB, and gdb would complain ("pc ... in
; read in CU, but not in symtab") at every backtrace that passes through here.
extern boot_stack_top
extern kmain

section .text
global higher_half
higher_half:
    mov esp, boot_stack_top
    xor ebp, ebp                    ; a zero frame pointer ends backtraces here
    push ebx                        ; kmain(magic, multiboot info physical address)
    push eax
    call kmain
    ; kmain does not return; if it ever did, stop here.
.hang:
    cli
    hlt
    jmp .hang
