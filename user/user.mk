# user/user.mk: build the user programs (included by the top-level Makefile).
#
# Every program is an ordinary static i386 Linux program built with musl, so
# the same binary runs inside bunshin and on the Linux host (the reference).
#   user/bin/NAME.c    -> $(BUILD)/user/bin/NAME    (/bin/NAME on bunshin)
#   user/bin/sh/*.c    -> $(BUILD)/user/bin/sh      (the shell, in several files)
#   user/tests/NAME.c  -> $(BUILD)/user/tests/NAME  (/tests/NAME on bunshin)
#   user/demo/NAME.c   -> $(BUILD)/user/demo/NAME   (/demo/NAME on bunshin: the
#                         example programs the walk-throughs in docs/ follow)
#   user/lib/*.c       -> $(BUILD)/user/lib/libbunshin.a, linked into all
# Tests are named t_*.c; anything else in user/tests is a helper program a
# test runs (exec targets...). Objects and .d files live in $(BUILD)/user/obj
# and $(BUILD)/user/lib, never next to the programs, because the initrd takes
# everything in $(BUILD)/user/bin, $(BUILD)/user/tests and $(BUILD)/user/demo.
#
# Defines USER_PROGS_ALL (every program) and the targets `user` (build them)
# and `test-user-host` (run the tests on the Linux host).

BUILD    ?= build
USER_CC  ?= i386-linux-musl-gcc
USER_AR  ?= i686-linux-gnu-ar
USER_CFLAGS := -static -O2 -g -Wall -Wextra -Werror -std=gnu11 -MMD -MP \
               -Iuser/lib/include

USER_LIB_OBJ  := $(patsubst user/lib/%.c,$(BUILD)/user/lib/%.o,$(wildcard user/lib/*.c))
USER_LIB      := $(BUILD)/user/lib/libbunshin.a
USER_BIN      := $(patsubst user/%.c,$(BUILD)/user/%,$(wildcard user/bin/*.c))
USER_TESTS    := $(patsubst user/%.c,$(BUILD)/user/%,$(wildcard user/tests/*.c))
USER_DEMOS    := $(patsubst user/%.c,$(BUILD)/user/%,$(wildcard user/demo/*.c))
# The shell is several files: user/bin/sh/*.c -> $(BUILD)/user/bin/sh.
SH_OBJ   := $(patsubst user/%.c,$(BUILD)/user/obj/%.o,$(wildcard user/bin/sh/*.c))
USER_BIN += $(BUILD)/user/bin/sh
# dyn_probe (user/tests/dyn_probe.c) is also built in three other forms,
# for t_dynamic: a PIE that musl's dynamic loader starts, a dynamically
# linked program at a fixed address, and a static PIE that relocates
# itself (musl's rcrt1.o, linked by hand: the musl-gcc wrapper's specs
# know no -static-pie).
MUSL_LIBDIR := /usr/lib/i386-linux-musl
REAL_CC     := i686-linux-gnu-gcc
DYN_PROBES  := $(addprefix $(BUILD)/user/tests/dyn_probe_,pie exec spie)
# dyn_libuser is dynamically linked only, against a library of its own
# (user/tests/dso/: shared libraries, in /tests beside it).
DYN_LIBS    := $(BUILD)/user/tests/libdynlib.so $(BUILD)/user/tests/libdynplugin.so
USER_TESTS  := $(filter-out $(BUILD)/user/tests/dyn_libuser,$(USER_TESTS))
DYN_PROBES  += $(BUILD)/user/tests/dyn_libuser $(DYN_LIBS)
USER_TESTS  += $(DYN_PROBES)
USER_PROGS_ALL := $(USER_BIN) $(USER_TESTS) $(USER_DEMOS)
USER_OBJ      := $(patsubst $(BUILD)/user/%,$(BUILD)/user/obj/%.o,$(filter-out $(DYN_PROBES),$(USER_PROGS_ALL)))

.PHONY: user test-user-host
user: $(USER_PROGS_ALL)

test-user-host: $(USER_PROGS_ALL)
	tests/user-host.sh

$(BUILD)/user/lib/%.o: user/lib/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(USER_AR) rcs $@ $^

$(BUILD)/user/obj/%.o: user/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(USER_CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/bin/%: $(BUILD)/user/obj/bin/%.o $(USER_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(USER_CC) -static -g $(USER_LDFLAGS_$(notdir $@)) -o $@ $< $(USER_LIB)

$(BUILD)/user/tests/%: $(BUILD)/user/obj/tests/%.o $(USER_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(USER_CC) -static -g $(USER_LDFLAGS_$(notdir $@)) -o $@ $< $(USER_LIB)

$(BUILD)/user/demo/%: $(BUILD)/user/obj/demo/%.o $(USER_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(USER_CC) -static -g -o $@ $< $(USER_LIB)

$(BUILD)/user/bin/sh: $(SH_OBJ) $(USER_LIB)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(USER_CC) -static -g -o $@ $(SH_OBJ) $(USER_LIB)

$(BUILD)/user/obj/tests/dyn_probe.pic.o: user/tests/dyn_probe.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (PIC)"
	$(Q)$(USER_CC) -fPIE -O2 -g -Wall -Wextra -Werror -c $< -o $@

$(BUILD)/user/tests/dyn_probe_pie: $(BUILD)/user/obj/tests/dyn_probe.pic.o
	@echo "  LD      $@"
	$(Q)$(USER_CC) -pie -g -o $@ $<

$(BUILD)/user/tests/dyn_probe_exec: $(BUILD)/user/obj/tests/dyn_probe.pic.o
	@echo "  LD      $@"
	$(Q)$(USER_CC) -no-pie -g -o $@ $<

$(BUILD)/user/tests/dyn_probe_spie: $(BUILD)/user/obj/tests/dyn_probe.pic.o
	@echo "  LD      $@"
	$(Q)$(REAL_CC) -static-pie -nostdlib -g -o $@ $(MUSL_LIBDIR)/rcrt1.o $(MUSL_LIBDIR)/crti.o \
	    $$($(REAL_CC) -print-file-name=crtbeginS.o) $< $(MUSL_LIBDIR)/libc.a \
	    $$($(REAL_CC) -print-libgcc-file-name) $(MUSL_LIBDIR)/libc.a \
	    $$($(REAL_CC) -print-file-name=crtendS.o) $(MUSL_LIBDIR)/crtn.o

$(BUILD)/user/tests/lib%.so: user/tests/dso/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(USER_CC) -shared -fPIC -O2 -g -Wall -Wextra -Werror -o $@ $<

$(BUILD)/user/tests/dyn_libuser: user/tests/dyn_libuser.c $(DYN_LIBS)
	@echo "  CC+LD   $@"
	$(Q)$(USER_CC) -O2 -g -Wall -Wextra -Werror -o $@ $< -L$(BUILD)/user/tests -ldynlib \
	    -Wl,-rpath,'$$ORIGIN'

# exec_probe starts at its own entry stub, which records the registers and
# checks the bss before musl's _start runs.
USER_LDFLAGS_exec_probe := -Wl,-e,probe_start

-include $(USER_OBJ:.o=.d) $(USER_LIB_OBJ:.o=.d) $(SH_OBJ:.o=.d)

# Keep the objects: they are intermediate files of the chains above, which
# make would otherwise delete after every build.
.SECONDARY: $(USER_OBJ) $(USER_LIB_OBJ) $(SH_OBJ)
