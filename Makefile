# bunshin: one entry point.
#   make            build build/kernel.elf, build/initrd.cpio and build/bunshin.iso
#   make qemu       boot the ISO in QEMU: console in this terminal (and a window
#                   if there is a display). Quit with Ctrl-A X.
#   make qemu-nox   the same, terminal only
#   make qemu-gdb   the same, but QEMU waits for gdb before the first instruction
#   make gdb        attach gdb to `make qemu-gdb` (in a second terminal)
#   make test       every test; ends with "N passed, N failed, N skipped"
#   make test T=NAME  only NAME: a user test (T=t_fork), a kind (T=unit,
#                   T=gdb), a script (T=selftest), a unit test (T=unit/format);
#                   several with T="t_fork t_vfork". tests/run.sh --list has them all
#   make bench      process creation on bunshin (cow, fork=copy) and on Debian's
#                   i386 Linux in the same QEMU: a table and build/bench/fork.png
#   make fuzz       a fuzzing campaign in bunshin (random system calls, ELF
#                   mutants); SEED=, N= children, K= calls each, FROM=,
#                   MUTANTS=, MFROM=; prints a replay command for each finding
#   make handout LAB=NAME OUT=DIR   a lab's handout: this tree with the lab's
#                   code replaced by its starting stub, the lab's text, one commit
#   make grade LAB=NAME   a lab's checks, headless, and "Score: N/M" (in a
#                   handout: make grade); docs/labs/README.md says more
#   make clean
# Missing Debian packages are installed first by tools/deps.sh.

CROSS   ?= i686-linux-gnu-
CC      := $(CROSS)gcc
NASM    ?= nasm
QEMU    ?= qemu-system-i386
GDB     ?= gdb
MEM     ?= 128M
# The CPU QEMU emulates: its default (qemu32) plus SMEP and SMAP, which the
# kernel turns on when the CPU has them (docs/hardening.md). The tests use
# the same model (they get this value from here).
QEMU_CPU ?= qemu32,+smep,+smap
export QEMU_CPU
GDBPORT ?= 1234
# -Og keeps variables and steps where gdb expects them; try OPT=-O2 to compare.
OPT     ?= -Og
# Kernel command line for make qemu / qemu-nox / qemu-gdb, e.g. make qemu ARGS="fork=copy".
ARGS    ?=

BUILD   := build
# make V=1 shows every command in full.
ifeq ($(V),1)
Q :=
else
Q := @
endif
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

CFLAGS  := -std=gnu11 -m32 -march=i686 $(OPT) -g \
           -ffreestanding -fno-pie -fno-stack-protector -fno-builtin \
           -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
           -mgeneral-regs-only \
           -Wall -Wextra -Werror -MMD -MP -Iinclude -I. -I$(BUILD)
LDFLAGS := -m32 -nostdlib -static -no-pie -T linker.ld -Wl,--build-id=none \
           -Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack
NASMFLAGS := -f elf32 -g -F dwarf

KERNEL_C   := $(wildcard boot/*.c kernel/*.c mm/*.c fs/*.c drivers/*.c ipc/*.c lib/*.c)
KERNEL_ASM := $(wildcard boot/*.asm kernel/*.asm mm/*.asm)
KERNEL_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) \
              $(patsubst %.asm,$(BUILD)/%.asm.o,$(KERNEL_ASM))

QEMU_BASE := $(QEMU) -cpu $(QEMU_CPU) -m $(MEM) -no-reboot \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04 -serial mon:stdio
# A window only where a display exists.
ifeq ($(DISPLAY)$(WAYLAND_DISPLAY),)
QEMU_DISPLAY := -display none
else
QEMU_DISPLAY :=
endif
# QEMU leaves with (status << 1) | 1 when the kernel uses isa-debug-exit;
# turn that back into the kernel's own status.
# (QEMU's own failure to start also exits with 1; its error message says so.)
QEMU_STATUS = s=$$?; if [ $$((s % 2)) -eq 1 ]; then s=$$((s / 2)); \
              echo "(QEMU ended; the kernel's status was $$s)"; fi; exit $$s

.PHONY: all deps qemu qemu-nox qemu-gdb gdb test bench fuzz handout grade clean FORCE
.DELETE_ON_ERROR:

all: deps $(BUILD)/kernel.elf $(BUILD)/bunshin.iso .gdbinit

deps:
	@tools/deps.sh

# The user programs: user/user.mk defines USER_PROGS_ALL and their rules.
include user/user.mk

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.asm.o: %.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJ) linker.ld
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(KERNEL_OBJ) -lgcc

# The initrd: everything under root/ and the user programs as a cpio archive
# in the "newc" format, the same format Linux's initramfs uses, plus Debian's
# busybox in /usr/bin (tools/busybox.sh: fetched once into build/, so make
# clean removes it; without network or apt the image has no busybox and the
# build says so in one line, and tries again the next time it makes the
# initrd). The tests boot this same image: busybox adds
# about 2 MB to it and to the root file system, which leaves the tests that
# count free memory (memfree_start/end, t_oom, t_overcommit, t_memlimit) as
# they were, since they compare counts taken in the same boot; one image for
# `make qemu` and the tests means the tests run what a student runs.
BUSYBOX := $(BUILD)/busybox/pkg/bin/busybox
$(BUILD)/initrd.cpio: tools/mkinitrd.sh tools/busybox.sh $(shell find root -type f) \
                      $(USER_PROGS_ALL) $(wildcard $(BUSYBOX))
	@tools/busybox.sh fetch
	tools/mkinitrd.sh $@

$(BUILD)/bunshin.iso: $(BUILD)/kernel.elf $(BUILD)/initrd.cpio tools/grub.cfg
	@mkdir -p $(BUILD)/iso/boot/grub
	cp $(BUILD)/kernel.elf $(BUILD)/initrd.cpio $(BUILD)/iso/boot/
	cp tools/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso 2>$(BUILD)/grub-mkrescue.log || \
	    { cat $(BUILD)/grub-mkrescue.log; exit 1; }

# Written every time, so that GDBPORT=... on the command line takes effect.
.gdbinit: tools/gdbinit.in FORCE
	@sed 's/@GDBPORT@/$(GDBPORT)/' $< > $@

# The version in the banner: rewritten only when `git describe` changes, so
# that main.c is rebuilt exactly then.
$(BUILD)/version.h: FORCE
	@mkdir -p $(BUILD)
	@echo '#define BUNSHIN_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/kernel/main.o: $(BUILD)/version.h

FORCE:

qemu: all
	@echo "bunshin in QEMU: quit with Ctrl-A X (Ctrl-A C for QEMU's monitor)"
	@$(QEMU_BASE) $(QEMU_DISPLAY) -cdrom $(BUILD)/bunshin.iso; $(QEMU_STATUS)

qemu-nox: all
	@echo "bunshin in QEMU: quit with Ctrl-A X (Ctrl-A C for QEMU's monitor)"
	@$(QEMU_BASE) -display none -kernel $(BUILD)/kernel.elf \
	    -initrd $(BUILD)/initrd.cpio -append '$(ARGS)'; $(QEMU_STATUS)

qemu-gdb: all
	@echo "QEMU is waiting for gdb on port $(GDBPORT): run 'make gdb' in another terminal."
	@echo "Quit with Ctrl-A X."
	@$(QEMU_BASE) -display none -kernel $(BUILD)/kernel.elf \
	    -initrd $(BUILD)/initrd.cpio -append '$(ARGS)' -S -gdb tcp::$(GDBPORT); $(QEMU_STATUS)

gdb: .gdbinit
	$(GDB) -q -iex "set auto-load local-gdbinit off" -x .gdbinit

# T=NAME... runs only those tests (names separated by spaces or commas).
test: all
	tests/run.sh $(T)

# Speed is measured here, never in tests: QEMU counts instructions
# (-icount shift=0), so the figures repeat exactly. BENCH_MODE=tcg for plain
# emulation; tools/bench.sh lists the other settings.
bench: all
	tools/bench.sh

# The fuzzer (user/tests/t_fuzz.c) for as long as you like: tools/fuzz.sh
# says how. `make test` runs a bounded part of it, with seed 1.
fuzz: all
	@SEED='$(SEED)' N='$(N)' K='$(K)' FROM='$(FROM)' MUTANTS='$(MUTANTS)' MFROM='$(MFROM)' KOPTS='$(KOPTS)' \
	    tools/fuzz.sh

# Labs (docs/labs/README.md): the code a lab asks for is marked in the
# sources; a handout is this tree with the lab's stubs in its place.
handout:
	@if [ -z '$(LAB)' ] || [ -z '$(OUT)' ]; then \
	    echo "usage: make handout LAB=NAME OUT=DIR (labs: $$(tools/handout.py --list))"; exit 2; fi
	tools/handout.py '$(LAB)' '$(OUT)'

# In a handout, LAB comes from its .lab file.
grade: all
	tools/grade.sh $(LAB)

clean:
	rm -rf $(BUILD) .gdbinit

-include $(KERNEL_OBJ:.o=.d)
