; boot/boot.asm: from the boot loader to kmain.
;
; GRUB (or QEMU's -kernel loader) reads the Multiboot header below, loads the
; kernel at 1 MiB and jumps to _start in 32-bit protected mode with paging off:
;   eax = 0x2BADB002 (proof that a Multiboot loader started us)
;   ebx = physical address of the Multiboot information structure
; The kernel's C code is linked at 0xC0100000, so before calling it we must
; turn paging on with a page directory that maps physical memory there.
; That directory (kernel_pgdir) uses 4 MiB pages, so it needs no page tables:
;   entry 0           0x00000000 -> 0x00000000  the identity map, only so that the
;                                               instruction after "mov cr0" still
;                                               exists; paging_init removes it
;   entries 768..991  0xC0000000 -> 0x00000000  the direct map of the first 896 MiB
;                     ...         paging_init later trims it to the RAM there is

MB_MAGIC        equ 0x1BADB002
MB_ALIGN_MODS   equ 1 << 0          ; load modules on page boundaries
MB_WANT_MEMINFO equ 1 << 1          ; give us the memory map
MB_FLAGS        equ MB_ALIGN_MODS | MB_WANT_MEMINFO

KERNEL_BASE     equ 0xC0000000
PDE_4M_FLAGS    equ 0x83            ; present | writable | 4 MiB page (PS)
DIRECT_MAP_PDES equ 224             ; 224 * 4 MiB = 896 MiB (DIRECT_MAP_LIMIT)
CR0_PG          equ 0x80000000
CR0_WP          equ 0x00010000
CR4_PSE         equ 0x00000010
BOOT_STACK_SIZE equ 16384

; The section flags matter: without "exec", nasm marks .boot.text as data,
; and gdb and objdump would not treat _start as code.
section .multiboot progbits alloc noexec nowrite align=4
multiboot_header:
    dd MB_MAGIC
    dd MB_FLAGS
    dd -(MB_MAGIC + MB_FLAGS)       ; the three words must add up to zero

; This code runs at its physical address: the linker script gives .boot the
; same load and run address. Symbols from the other sections are virtual, so
; they are translated by hand with "- KERNEL_BASE".
section .boot.text progbits alloc exec nowrite align=4
global _start
_start:
    cli
    ; Fill kernel_pgdir: entry 0 and entries 768.. map 4 MiB pages from 0.
    mov edi, kernel_pgdir - KERNEL_BASE
    mov dword [edi], PDE_4M_FLAGS
    lea edi, [edi + 768 * 4]
    mov ecx, DIRECT_MAP_PDES
    mov edx, PDE_4M_FLAGS
.fill:
    mov [edi], edx
    add edx, 0x400000
    add edi, 4
    loop .fill

    mov ecx, cr4
    or ecx, CR4_PSE                 ; allow 4 MiB pages
    mov cr4, ecx
    mov ecx, kernel_pgdir - KERNEL_BASE
    mov cr3, ecx
    mov ecx, cr0
    or ecx, CR0_PG | CR0_WP         ; paging on; ring 0 respects read-only pages
paging_on:                          ; (a label for gdb: hbreak *&paging_on, docs/boot.md)
    mov cr0, ecx

    ; Still running at a low address (thanks to entry 0). Jump up, to
    ; higher_half (boot/higher_half.asm), which calls kmain.
    extern higher_half
    mov ecx, higher_half
    jmp ecx

section .bss
align 4096
global kernel_pgdir
kernel_pgdir:
    resb 4096
global boot_stack
boot_stack:
    resb BOOT_STACK_SIZE
global boot_stack_top
boot_stack_top:                     ; where higher_half starts the stack (it grows down)
