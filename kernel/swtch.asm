; kernel/swtch.asm: switch from one kernel stack to another.
;
; void swtch(struct context **save, struct context *load)
;
; Pushes the callee-saved registers on the current stack, which then looks
; like a struct context (edi lowest, eip the return address highest), stores
; that stack pointer in *save, and loads the stack of `load`, popping its
; registers and returning to its eip. The caller-saved registers (eax, ecx,
; edx) need no saving: the C compiler already assumes a call clobbers them.

section .text
global swtch
swtch:
    mov eax, [esp + 4]           ; save
    mov edx, [esp + 8]           ; load
    push ebp
    push ebx
    push esi
    push edi
    mov [eax], esp               ; *save = this stack, now a struct context
    mov esp, edx                 ; switch stacks
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret                          ; to load->eip
