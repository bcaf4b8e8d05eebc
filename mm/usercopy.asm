; mm/usercopy.asm: the copy loops that may fault on user memory (usercopy.h).
; probe.c lists their faulting instructions, so that the page-fault handler
; resumes a failed copy at its _fail label instead of panicking.

section .text

; uint32_t user_copy_bytes(void *dst, const void *src, uint32_t n)
; Returns the number of bytes NOT copied: 0 on success.
global user_copy_bytes
global user_copy_insn
global user_copy_fail
user_copy_bytes:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
user_copy_insn:
    rep movsb                    ; a fault leaves ecx = bytes still to copy
    xor eax, eax
    pop edi
    pop esi
    ret
user_copy_fail:
    mov eax, ecx
    pop edi
    pop esi
    ret

; int user_strncpy_bytes(char *dst, const char *src, uint32_t max)
; Copies up to max bytes, stopping after a NUL. Returns the string's length
; (NUL found), max (no NUL within max bytes), or -1 (fault).
global user_strncpy_bytes
global user_strncpy_insn
global user_strncpy_fail
user_strncpy_bytes:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    xor edx, edx
ustr_next:
    cmp edx, ecx
    je ustr_full
user_strncpy_insn:
    mov al, [esi + edx]          ; may fault
    mov [edi + edx], al
    test al, al
    jz ustr_done
    inc edx
    jmp ustr_next
ustr_done:
    mov eax, edx
    pop edi
    pop esi
    ret
ustr_full:
    mov eax, ecx
    pop edi
    pop esi
    ret
user_strncpy_fail:
    mov eax, -1
    pop edi
    pop esi
    ret
