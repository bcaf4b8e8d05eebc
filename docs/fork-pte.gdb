# docs/fork-pte.gdb: a gdb command for docs/fork.md (source docs/fork-pte.gdb).
#
# pte MM VA: the page-table entry for user address VA in address space MM
# (a struct mm *), walked by hand: the directory entry for VA's top ten bits
# holds the physical address of a page table; the kernel sees that table at
# 0xC0000000 + that address (its direct map of physical memory); the entry
# for VA's middle ten bits holds the frame and the flags. The last column is
# the frame's reference count, read from the frame allocator's refs[].
# Leaves the entry in $pte_entry and the frame's address in $pte_frame.
define pte
  set $pde = ((unsigned *)$arg0->pgdir)[(unsigned)($arg1) >> 22]
  if !($pde & 1)
    printf "no page table for %08x\n", (unsigned)($arg1)
  else
    set $pt = (unsigned *)(($pde & 0xfffff000) + 0xC0000000)
    set $pte_entry = $pt[((unsigned)($arg1) >> 12) & 0x3ff]
    set $pte_frame = $pte_entry & 0xfffff000
    printf "pte %08x: frame %08x  flags %03x  refs %d\n", $pte_entry, $pte_frame, $pte_entry & 0xfff, refs[$pte_entry >> 12]
  end
end
document pte
pte MM VA: print the page-table entry for user address VA in address space MM,
its frame, its flags and the frame's reference count (docs/fork.md, section 0).
end
