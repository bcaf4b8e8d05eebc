/* test_frame.c: host tests of mm/frame.c, the physical frame allocator.
 *
 * A frame handed out twice, or a reserved one handed out at all, corrupts
 * memory far from the bug, and copy-on-write fork trusts the reference
 * counts to decide when a page may be freed. Here the allocator runs on a
 * fake memory map with its table in host memory, where every frame it hands
 * out can be checked, and its misuse checks can be made to fire: panic()
 * below records the message and jumps back into the test instead of
 * stopping the machine.
 *
 * The usual map is a small PC: RAM [0, 0x9FC00) and [1 MiB, 8 MiB), the
 * kernel at [1 MiB, 1 MiB + 128 KiB), the frame table right after it. */
// unit-sources: mm/frame.c
#include <setjmp.h>
#include <stdint.h>

#include "check.h"
#include "mm/frame.h"
#include "printk.h"

#define KIB 0x400u
#define MIB 0x100000u

/* ---- panic: the kernel's last resort, made into something to test ---- */

static jmp_buf panic_jump;
static bool panic_expected;
static char panic_message[256];

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_message, sizeof panic_message, fmt, ap);
    va_end(ap);
    if (!panic_expected) {
        /* The allocator stopped where no test asked it to; nothing after
         * this can be trusted. run.sh reports the exit status too. */
        printf("FAIL frame.unexpected_panic: %s\n", panic_message);
        exit(1);
    }
    panic_expected = false;
    longjmp(panic_jump, 1);
}

/* Does fn(pa) panic? The message is left in panic_message. */
static bool panics(uint32_t (*fn)(paddr_t), paddr_t pa)
{
    panic_message[0] = 0;
    panic_expected = true;
    if (setjmp(panic_jump) != 0)
        return true;
    fn(pa);
    panic_expected = false;
    return false;
}

/* ---- memory maps ---- */

static uint16_t *table;

/* frames_init with a table of exactly the size it asks for, so that the
 * address sanitizer catches a write past its end. */
static void init(const struct phys_range *usable, int nusable,
                 const struct phys_range *reserved, int nreserved, uint64_t top)
{
    free(table);
    table = malloc(frames_table_size(top));
    frames_init(usable, nusable, reserved, nreserved, top, table);
}

static const struct phys_range pc_usable[] = {
    { 0, 0x9FC00 },
    { MIB, 8 * MIB },
};
#define PC_TOP (8 * MIB)
#define KERNEL_START MIB
#define KERNEL_END (MIB + 128 * KIB)
#define TABLE_AT KERNEL_END             /* where frames_table_place must put it */
#define TABLE_END (TABLE_AT + 4 * KIB)  /* 2048 frames * 2 bytes */
/* Frames from 1 MiB to 8 MiB, less the kernel's 32 and the table's one. */
#define PC_FRAMES ((7 * MIB) / 4096 - 32 - 1)

static void init_pc(void)
{
    struct phys_range reserved[] = {
        { KERNEL_START, KERNEL_END },
        { TABLE_AT, TABLE_END },
    };
    init(pc_usable, 2, reserved, 2, PC_TOP);
}

static bool is_reserved(paddr_t pa)
{
    return frame_refcount(pa) == FRAME_RESERVED;
}

/* ---- tests ---- */

static void test_table(void)
{
    check_long("frame.table_size_two_bytes_per_frame", frames_table_size(PC_TOP), 4096);
    check_long("frame.table_size_rounds_up", frames_table_size(PC_TOP + 1), 4098);

    struct phys_range kernel[] = { { KERNEL_START, KERNEL_END } };
    check_long("frame.place_after_kernel",
               frames_table_place(pc_usable, 2, kernel, 1, frames_table_size(PC_TOP)), TABLE_AT);

    struct phys_range all_low[] = { { 0, 8 * MIB } };
    check_long("frame.place_never_below_1m",
               frames_table_place(all_low, 1, NULL, 0, 4096), MIB);

    /* A module ending mid-page: the table starts at the next page. */
    struct phys_range mods[] = { { 0x120000, 0x123456 }, { KERNEL_START, KERNEL_END } };
    check_long("frame.place_rounds_past_reserved_end",
               frames_table_place(pc_usable, 2, mods, 2, 4096), 0x124000);

    /* Listed out of order: moving past the kernel lands in the module
     * checked before it, so the search must look again. */
    struct phys_range two[] = { { 0x120000, 0x130000 }, { KERNEL_START, KERNEL_END } };
    check_long("frame.place_rechecks_after_moving",
               frames_table_place(pc_usable, 2, two, 2, 4096), 0x130000);

    struct phys_range high_first[] = { { 4 * MIB, 8 * MIB }, { MIB, 2 * MIB } };
    check_long("frame.place_lowest_range",
               frames_table_place(high_first, 2, NULL, 0, 4096), MIB);

    /* The low range has only 64 KiB left after the reservation: too little. */
    struct phys_range busy[] = { { MIB, 0x1F0000 } };
    check_long("frame.place_skips_range_too_small",
               frames_table_place(high_first, 2, busy, 1, 128 * KIB), 4 * MIB);

    struct phys_range one_page[] = { { MIB, MIB + 4096 } };
    check_long("frame.place_exact_fit", frames_table_place(one_page, 1, NULL, 0, 4096), MIB);
    check_long("frame.place_no_room", frames_table_place(one_page, 1, NULL, 0, 4097), 0);

    struct phys_range unaligned[] = { { 0x100800, 2 * MIB } };
    check_long("frame.place_page_aligned",
               frames_table_place(unaligned, 1, NULL, 0, 4096), 0x101000);

    /* RAM above 4 GiB (in the map of a big machine) cannot hold the table:
     * a 32-bit paddr_t cannot even name it. */
    struct phys_range above_4g[] = { { 0x100000000ull, 0x200000000ull } };
    check_long("frame.place_ignores_ram_above_4g",
               frames_table_place(above_4g, 1, NULL, 0, 4096), 0);
}

static void test_init(void)
{
    init_pc();
    check_long("frame.init_total", frames_total(), PC_FRAMES);
    check_long("frame.init_all_free", frames_free(), PC_FRAMES);

    check(is_reserved(0) && is_reserved(0x1000) && is_reserved(0x9E000) &&
          is_reserved(0xFF000), "frame.init_first_mib_reserved",
          "counts 0:%u 0x1000:%u 0x9e000:%u 0xff000:%u", frame_refcount(0),
          frame_refcount(0x1000), frame_refcount(0x9E000), frame_refcount(0xFF000));
    check(is_reserved(KERNEL_START) && is_reserved(KERNEL_END - 4096),
          "frame.init_kernel_reserved", "counts %u, %u",
          frame_refcount(KERNEL_START), frame_refcount(KERNEL_END - 4096));
    check(is_reserved(TABLE_AT), "frame.init_table_reserved", "count %u",
          frame_refcount(TABLE_AT));
    check(frame_refcount(TABLE_END) == 0 && frame_refcount(PC_TOP - 4096) == 0,
          "frame.init_ram_free", "counts %u, %u", frame_refcount(TABLE_END),
          frame_refcount(PC_TOP - 4096));
    check(is_reserved(PC_TOP) && is_reserved(0xFFFFF000), "frame.init_above_top_reserved",
          "counts %u, %u", frame_refcount(PC_TOP), frame_refcount(0xFFFFF000));

    /* Only whole pages inside a usable range: [0x100800, 0x104800) holds
     * the three frames 0x101000..0x103fff. */
    struct phys_range ragged[] = { { 0x100800, 0x104800 } };
    init(ragged, 1, NULL, 0, PC_TOP);
    check(frames_total() == 3 && is_reserved(0x100000) && is_reserved(0x104000) &&
          frame_refcount(0x101000) == 0 && frame_refcount(0x103000) == 0,
          "frame.init_partial_pages_excluded", "total %u, counts %u %u %u %u",
          frames_total(), frame_refcount(0x100000), frame_refcount(0x101000),
          frame_refcount(0x103000), frame_refcount(0x104000));

    /* A reservation covering part of a page takes the whole page. */
    struct phys_range ram16[] = { { MIB, MIB + 64 * KIB } };
    struct phys_range part[] = { { 0x104800, 0x105001 } };
    init(ram16, 1, part, 1, PC_TOP);
    check(frames_total() == 14 && is_reserved(0x104000) && is_reserved(0x105000) &&
          frame_refcount(0x103000) == 0 && frame_refcount(0x106000) == 0,
          "frame.init_partly_reserved_page_reserved", "total %u, counts %u %u %u %u",
          frames_total(), frame_refcount(0x103000), frame_refcount(0x104000),
          frame_refcount(0x105000), frame_refcount(0x106000));

    /* top cuts a range short. */
    init(pc_usable, 2, NULL, 0, 4 * MIB);
    check(frames_total() == 768 && frame_refcount(4 * MIB - 4096) == 0 && is_reserved(4 * MIB),
          "frame.init_top_cuts_range", "total %u, want 768", frames_total());

    /* Overlapping ranges (firmware maps have them) count each frame once. */
    struct phys_range overlap[] = { { MIB, 2 * MIB }, { 0x180000, 0x280000 } };
    init(overlap, 2, NULL, 0, PC_TOP);
    check(frames_total() == 384 && frames_free() == 384, "frame.init_overlap_counted_once",
          "total %u, free %u, want 384", frames_total(), frames_free());

    struct phys_range holey[] = { { MIB, 2 * MIB }, { 3 * MIB, 4 * MIB } };
    init(holey, 2, NULL, 0, PC_TOP);
    check(frames_total() == 512 && is_reserved(0x250000), "frame.init_hole_reserved",
          "total %u (want 512), count in the hole %u", frames_total(),
          frame_refcount(0x250000));

    /* A range wholly above top (here above 4 GiB) adds no frames. */
    struct phys_range with_high[] = { { MIB, 2 * MIB }, { 0x100000000ull, 0x100010000ull } };
    init(with_high, 2, NULL, 0, PC_TOP);
    check(frames_total() == 256 && is_reserved(0x300000), "frame.init_ignores_ram_above_4g",
          "total %u, want 256; count of 0x300000 (not in any usable range) %u",
          frames_total(), frame_refcount(0x300000));
}

static void test_alloc(void)
{
    init_pc();
    paddr_t a = frame_alloc();
    check(a != 0 && frame_refcount(a) == 1, "frame.alloc_count_one", "frame %#x count %u",
          a, frame_refcount(a));
    check_long("frame.alloc_takes_one_free", frames_free(), PC_FRAMES - 1);

    /* Next-fit: the search goes on from the last frame taken, so a frame
     * just freed is not handed straight back. */
    paddr_t b = frame_alloc();
    frame_decref(a);
    paddr_t c = frame_alloc();
    check(b != a && c != a && c != b, "frame.alloc_next_fit_moves_on",
          "got %#x, %#x, then %#x after freeing the first", a, b, c);

    /* Take everything that is left and look at each frame. */
    static uint8_t seen[PC_TOP / 4096];
    memset(seen, 0, sizeof seen);
    seen[b / 4096] = seen[c / 4096] = 1;
    uint32_t n = 2, twice = 0, low = 0, reserved = 0, odd = 0;
    paddr_t pa, lowest = 0xFFFFFFFF;
    while ((pa = frame_alloc()) != 0 && n < 2 * PC_FRAMES) {
        n++;
        if (pa % 4096 != 0 || pa >= PC_TOP) {
            odd++;
            continue;
        }
        if (seen[pa / 4096]++)
            twice++;
        if (pa < MIB)
            low++;
        if (pa >= KERNEL_START && pa < TABLE_END)
            reserved++;
        if (pa < lowest)
            lowest = pa;
    }
    check_long("frame.alloc_hands_out_every_free_frame", n, PC_FRAMES);
    check_long("frame.alloc_never_twice", twice, 0);
    check_long("frame.alloc_never_below_1m", low, 0);
    check_long("frame.alloc_never_reserved", reserved, 0);
    check_long("frame.alloc_aligned_below_top", odd, 0);

    check(frame_alloc() == 0 && frames_free() == 0, "frame.exhausted_returns_zero",
          "free %u", frames_free());
    check_long("frame.exhausted_total_unchanged", frames_total(), PC_FRAMES);
    check_long("frame.exhausted_contig_fails", frames_alloc_contig(1), 0);

    /* The lowest frame lies behind the search position: finding it again
     * needs the search to wrap around. */
    frame_decref(lowest);
    check_long("frame.alloc_wraps_around", frame_alloc(), lowest);
}

static void test_refcount(void)
{
    init_pc();
    paddr_t pa = frame_alloc();
    uint32_t free0 = frames_free();

    check_long("frame.incref_returns_count", frame_incref(pa), 2);
    check(frame_refcount(pa) == 2 && frames_free() == free0, "frame.incref_keeps_free_count",
          "count %u, free %u (want %u)", frame_refcount(pa), frames_free(), free0);

    check_long("frame.decref_returns_count", frame_decref(pa), 1);
    check(frame_refcount(pa) == 1 && frames_free() == free0, "frame.decref_shared_keeps_frame",
          "count %u, free %u (want %u)", frame_refcount(pa), frames_free(), free0);

    check(frame_decref(pa) == 0 && frame_refcount(pa) == 0 && frames_free() == free0 + 1,
          "frame.decref_frees_at_zero", "count %u, free %u (want %u)",
          frame_refcount(pa), frames_free(), free0 + 1);

    /* Many sharers, as after many forks: freed only by the last. */
    pa = frame_alloc();
    free0 = frames_free();
    for (int i = 0; i < 10; i++)
        frame_incref(pa);
    uint32_t middle = frame_refcount(pa);
    for (int i = 0; i < 10; i++)
        frame_decref(pa);
    check(middle == 11 && frame_refcount(pa) == 1 && frames_free() == free0,
          "frame.many_sharers", "count %u after 10 increfs, %u after 10 decrefs, free %u (want %u)",
          middle, frame_refcount(pa), frames_free(), free0);

    /* The count must not run into FRAME_RESERVED. */
    uint32_t last = 0;
    while (frame_refcount(pa) < FRAME_RESERVED - 1)
        last = frame_incref(pa);
    check(last == FRAME_RESERVED - 1 && panics(frame_incref, pa) &&
          strstr(panic_message, "too many") != NULL, "frame.incref_limit_panics",
          "last count %u, panic \"%s\"", last, panic_message);
    while (frame_refcount(pa) > 0)
        frame_decref(pa);
    check_long("frame.incref_limit_undone", frames_free(), free0 + 1);
}

static void test_misuse(void)
{
    init_pc();
    paddr_t pa = frame_alloc();
    frame_decref(pa);
    uint32_t free0 = frames_free();

    check(panics(frame_decref, pa) && strstr(panic_message, "free") != NULL,
          "frame.double_free_panics", "panic \"%s\"", panic_message);
    check(frames_free() == free0 && frame_refcount(pa) == 0, "frame.double_free_changes_nothing",
          "free %u (want %u), count %u", frames_free(), free0, frame_refcount(pa));

    check(panics(frame_incref, pa), "frame.incref_free_panics", "no panic");
    check(panics(frame_decref, KERNEL_START) && strstr(panic_message, "reserved") != NULL &&
          is_reserved(KERNEL_START), "frame.decref_reserved_panics",
          "panic \"%s\", count %u", panic_message, frame_refcount(KERNEL_START));
    check(panics(frame_incref, TABLE_AT) && is_reserved(TABLE_AT),
          "frame.incref_reserved_panics", "panic \"%s\"", panic_message);
    check(panics(frame_decref, 0x1000), "frame.decref_low_memory_panics", "no panic");

    pa = frame_alloc();
    check(panics(frame_decref, pa + 4) && frame_refcount(pa) == 1,
          "frame.decref_unaligned_panics", "panic \"%s\", count %u", panic_message,
          frame_refcount(pa));
    check(panics(frame_decref, PC_TOP), "frame.decref_above_top_panics", "no panic");
    check(panics(frame_incref, PC_TOP + 0x10000), "frame.incref_above_top_panics", "no panic");
}

static void test_contig(void)
{
    /* Frames 0x100000..0x103fff and 0x105000..0x10ffff: runs of 4 and 11. */
    struct phys_range ram[] = { { MIB, MIB + 64 * KIB } };
    struct phys_range hole[] = { { 0x104000, 0x105000 } };

    init(ram, 1, hole, 1, PC_TOP);
    paddr_t pa = frames_alloc_contig(4);
    bool all_one = true;
    for (int i = 0; i < 4; i++)
        all_one = all_one && frame_refcount(pa + 4096 * i) == 1;
    check(pa == MIB && all_one && frames_free() == 11, "frame.contig_first_run",
          "got %#x, all counts 1: %d, free %u", pa, all_one, frames_free());

    for (int i = 0; i < 4; i++)
        frame_decref(pa + 4096 * i);
    check_long("frame.contig_freed_one_by_one", frames_free(), 15);

    init(ram, 1, hole, 1, PC_TOP);
    check_long("frame.contig_skips_short_run", frames_alloc_contig(5), 0x105000);

    init(ram, 1, hole, 1, PC_TOP);
    check_long("frame.contig_longest_run", frames_alloc_contig(11), 0x105000);

    init(ram, 1, hole, 1, PC_TOP);
    pa = frames_alloc_contig(12);
    check(pa == 0 && frames_free() == 15, "frame.contig_not_across_reserved",
          "got %#x, free %u", pa, frames_free());
    check_long("frame.contig_zero_fails", frames_alloc_contig(0), 0);
    check_long("frame.contig_more_than_free_fails", frames_alloc_contig(16), 0);

    /* Every other frame taken: plenty free, but no two side by side. */
    init(ram, 1, hole, 1, PC_TOP);
    while (frame_alloc() != 0)
        ;
    for (paddr_t f = MIB; f < MIB + 64 * KIB; f += 2 * 4096)
        if (f != 0x104000)
            frame_decref(f);
    uint32_t free0 = frames_free();
    pa = frames_alloc_contig(2);
    check(free0 >= 2 && pa == 0 && frames_free() == free0, "frame.contig_fragmented_fails",
          "got %#x with %u frames free (now %u)", pa, free0, frames_free());
}

int main(void)
{
    test_table();
    test_init();
    test_alloc();
    test_refcount();
    test_misuse();
    test_contig();
    free(table);
    return 0;
}
