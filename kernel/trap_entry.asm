; kernel/trap_entry.asm: the first and last instructions of every trap.
;
; The CPU pushes eflags, cs and eip (and esp, ss when it comes from ring 3),
; and for some exceptions an error code. Each vector's stub below pushes a 0
; where the CPU pushes no error code, so that every frame has the same shape,
; then pushes its vector number and jumps to trap_common.

KERNEL_DS equ 0x10

%macro TRAP_NOERR 1
trap_vector_%1:
    push dword 0
    push dword %1
    jmp trap_common
%endmacro

%macro TRAP_ERR 1                ; the CPU has pushed an error code already
trap_vector_%1:
    push dword %1
    jmp trap_common
%endmacro

section .text

; Exceptions 8, 10-14, 17, 21 and 29-30 come with an error code
; (Intel SDM vol. 3, table 6-1).
TRAP_NOERR 0
TRAP_NOERR 1
TRAP_NOERR 2
TRAP_NOERR 3
TRAP_NOERR 4
TRAP_NOERR 5
TRAP_NOERR 6
TRAP_NOERR 7
TRAP_ERR   8
TRAP_NOERR 9
TRAP_ERR   10
TRAP_ERR   11
TRAP_ERR   12
TRAP_ERR   13
TRAP_ERR   14
TRAP_NOERR 15
TRAP_NOERR 16
TRAP_ERR   17
TRAP_NOERR 18
TRAP_NOERR 19
TRAP_NOERR 20
TRAP_ERR   21
TRAP_NOERR 22
TRAP_NOERR 23
TRAP_NOERR 24
TRAP_NOERR 25
TRAP_NOERR 26
TRAP_NOERR 27
TRAP_NOERR 28
TRAP_ERR   29
TRAP_ERR   30
TRAP_NOERR 31
; hardware interrupts from the two 8259s, remapped to 32-47
TRAP_NOERR 32
TRAP_NOERR 33
TRAP_NOERR 34
TRAP_NOERR 35
TRAP_NOERR 36
TRAP_NOERR 37
TRAP_NOERR 38
TRAP_NOERR 39
TRAP_NOERR 40
TRAP_NOERR 41
TRAP_NOERR 42
TRAP_NOERR 43
TRAP_NOERR 44
TRAP_NOERR 45
TRAP_NOERR 46
TRAP_NOERR 47
; int $0x80: the system-call gate
TRAP_NOERR 128

; Save the rest of the interrupted state: segment registers, then the eight
; general registers. esp then points at a complete struct trapframe.
trap_common:
    push ds
    push es
    push fs
    push gs
    pusha
    cld                          ; C code assumes string instructions go up;
                                 ; a program may have left the direction flag set
    mov ax, KERNEL_DS            ; the kernel's own data segments
    mov ds, ax
    mov es, ax
    ; fs and gs too, though the kernel does not use them: a program's gs
    ; (its TLS selector, GDT entry 6) would stay loaded while the kernel
    ; runs, even after a switch to another process, whose own TLS
    ; descriptor (or none) entry 6 then holds. An interrupt taken in the
    ; kernel saves gs and reloads it when it returns (trap_return): a stale
    ; selector whose descriptor is now empty faults there (#GP).
    mov fs, ax
    mov gs, ax
    push esp                     ; trap_dispatch(struct trapframe *tf)
    extern trap_dispatch
    call trap_dispatch
    add esp, 4

; Return to whatever the frame describes. A new process starts life here too,
; with a frame built by the kernel.
global trap_return
trap_return:
    popa
; These five may fault: a program can make its own segment selectors invalid
; (set_thread_area clearing the descriptor its gs uses). trap.c recognises a
; fault at these labels and ends the program instead of panicking.
global trap_return_segments
global trap_return_iret
trap_return_segments:
    pop gs
    pop fs
    pop es
    pop ds
    add esp, 8                   ; drop vector number and error code
trap_return_iret:
    iret

; The table trap_init reads: the address of each stub, by vector.
section .rodata
global trap_vectors
trap_vectors:
%assign v 0
%rep 48
    dd trap_vector_%[v]
%assign v v+1
%endrep
global trap_vector_syscall
trap_vector_syscall:
    dd trap_vector_128
