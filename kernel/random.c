/* random.c: where the kernel's random numbers come from.
 *
 * Two sources, used together:
 *   - rdrand, the CPU's own hardware generator (Intel since 2012, AMD since
 *     2015), when cpuid leaf 1 says the CPU has it (ecx bit 30). QEMU's
 *     default CPU model, qemu32, does not have it; -cpu max does.
 *   - a pool of 64 bits into which the time-stamp counter is mixed at every
 *     hardware interrupt (the timer 100 times a second, keys, the serial
 *     line), when the pool is first used, and at every draw. The exact
 *     cycle at which an interrupt arrives, or at which a program calls
 *     execve, depends on everything the machine has done so far, and
 *     differs from boot to boot.
 * A draw stirs the pool, takes its output, and XORs in rdrand's when the CPU
 * has it: rdrand alone would do, but Linux, too, mixes it in rather than
 * trusting it alone, and without it the pool is all there is.
 *
 * What this is not: cryptographic. The pool is small, the mixing function
 * (SplitMix64's finaliser) is a fast hash, not a cryptographic one, and
 * without rdrand everything rests on the TSC, which anyone on the machine
 * can read. It is enough to give each program different AT_RANDOM bytes
 * and a different layout, as a course needs; it is not for keys.
 */
#include "kernel/random.h"
#include "mm/usercopy.h"
#include "linux/errno.h"
#include "linux/random.h"
#include "lib/string.h"
#include "x86.h"

static uint64_t pool;
static bool pool_ready;
bool random_has_rdrand;            /* what cpuid said (p random_has_rdrand in gdb) */

/* SplitMix64's finaliser: a bijection on 64 bits in which every input bit
 * changes about half of the output bits. Being a bijection, it never loses
 * what was mixed in. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* rdrand: 32 bits from the CPU's generator. The carry flag says whether it
 * had any; Intel's guide says to retry up to 10 times before giving up. */
static bool rdrand32(uint32_t *v)
{
    for (int i = 0; i < 10; i++) {
        uint8_t ok;
        __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
        if (ok)
            return true;
    }
    return false;
}

/* The first use: ask cpuid about rdrand, and seed the pool with the TSC. */
static void pool_setup(void)
{
    uint32_t a = 1, b, c, d;
    __asm__ volatile("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
    random_has_rdrand = (c >> 30) & 1;
    pool = mix64(pool ^ rdtsc());
    pool_ready = true;
}

void random_add_interrupt(int irq)
{
    pool = mix64(pool ^ rdtsc() ^ ((uint64_t)(uint32_t)irq << 56));
}

uint32_t random_u32(void)
{
    /* An interrupt in the middle would change the pool under us: not
     * harmful, but the point is to keep every event, so keep them out. */
    uint32_t flags = irq_save();
    if (!pool_ready)
        pool_setup();
    pool = mix64(pool ^ rdtsc()) + 0x9E3779B97F4A7C15ull;
    /* The high half of a further mix: what a program sees of the output
     * does not give the pool away directly. */
    uint32_t r = (uint32_t)(mix64(pool) >> 32);
    irq_restore(flags);

    uint32_t hw;
    if (random_has_rdrand && rdrand32(&hw))
        r ^= hw;
    return r;
}

uint32_t random_below(uint32_t n)
{
    /* The modulo favours small results by at most n / 2^32: nothing for the
     * powers of two the layout uses. */
    return n ? random_u32() % n : 0;
}

void random_bytes(void *buf, uint32_t n)
{
    uint8_t *p = buf;
    while (n > 0) {
        uint32_t r = random_u32();
        uint32_t k = n < 4 ? n : 4;
        memcpy(p, &r, k);
        p += k;
        n -= k;
    }
}

long sys_getrandom(struct trapframe *tf)
{
    vaddr_t buf = tf->ebx;
    uint32_t count = tf->ecx, flags = tf->edx;
    if (flags & ~(uint32_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return -EINVAL;
    if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
        return -EINVAL;
    /* At most 32 MiB - 1 a call, the limit getrandom(2) gives for 32-bit
     * int: bunshin's kernel is not preempted, and a bigger request would
     * hold the CPU for seconds. A short count is allowed; callers loop. */
    if (count > 33554431u)
        count = 33554431u;
    /* In pieces, so that a buffer that runs into an unmapped (or read-only)
     * page gives the bytes before it, as a read does. copy_to_user is all
     * or nothing, so the piece in which memory stops is copied again a
     * byte at a time: Linux returns the exact count of bytes written, not
     * a multiple of the piece. */
    uint32_t done = 0;
    while (done < count) {
        uint8_t block[64];
        uint32_t k = count - done < sizeof block ? count - done : sizeof block;
        random_bytes(block, k);
        if (copy_to_user(buf + done, block, k) < 0) {
            for (uint32_t i = 0; i < k && copy_to_user(buf + done, &block[i], 1) == 0; i++)
                done++;
            return done ? (long)done : -EFAULT;
        }
        done += k;
    }
    return (long)done;
}
