/* procfs_cpuinfo.c: /proc/cpuinfo, what the CPUID instruction says about
 * the processor, in the layout of Linux's arch/x86/kernel/cpu/proc.c for a
 * 32-bit kernel: "name\t: value" lines, one block per processor (bunshin
 * runs on one), a blank line after it.
 *
 * The flags line has Linux's name for each feature bit it shows, in
 * Linux's order (its capability words: leaf 1's edx, leaf 0x80000001's
 * edx, leaf 1's ecx, leaf 0x80000001's ecx, leaf 7's ebx and ecx). Linux
 * adds flags of its own making (constant_tsc, cpuid, ...); bunshin shows
 * only what CPUID says. bogomips is Linux's number for a TSC delay loop:
 * twice the TSC's rate in MHz, which the timer measures at boot.
 */
#include "fs/procfs.h"
#include "drivers/timer.h"
#include "lib/format.h"
#include "lib/string.h"
#include "x86.h"

/* Linux's names of the feature bits (NULL: none shown), one table per
 * CPUID register, as Linux's arch/x86/include/asm/cpufeatures.h has them. */
static const char *const leaf1_edx[32] = {
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", 0, "sep",
    "mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", 0, "dts", "acpi", "mmx",
    "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};
static const char *const ext1_edx[32] = {     /* only the bits leaf 1 lacks */
    [11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt",
    [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
};
static const char *const leaf1_ecx[32] = {
    "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3",
    "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", 0, "pcid", "dca", "sse4_1", "sse4_2",
    "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", 0 /* osxsave */,
    "avx", "f16c", "rdrand", "hypervisor",
};
static const char *const ext1_ecx[32] = {
    "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
    "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", 0, "lwp", "fma4", "tce", 0,
    "nodeid_msr", 0, "tbm", "topoext", "perfctr_core", "perfctr_nb", 0, "bpext", "ptsc",
    "perfctr_llc", "mwaitx",
};
static const char *const leaf7_ebx[32] = {
    [0] = "fsgsbase", [1] = "tsc_adjust", [2] = "sgx", [3] = "bmi1", [4] = "hle",
    [5] = "avx2", [7] = "smep", [8] = "bmi2", [9] = "erms", [10] = "invpcid", [11] = "rtm",
    [12] = "cqm", [14] = "mpx", [15] = "rdt_a", [16] = "avx512f", [17] = "avx512dq",
    [18] = "rdseed", [19] = "adx", [20] = "smap", [21] = "avx512ifma", [23] = "clflushopt",
    [24] = "clwb", [25] = "intel_pt", [26] = "avx512pf", [27] = "avx512er",
    [28] = "avx512cd", [29] = "sha_ni", [30] = "avx512bw", [31] = "avx512vl",
};
static const char *const leaf7_ecx[32] = {
    0, "avx512vbmi", "umip", "pku", "ospke", "waitpkg", "avx512_vbmi2", 0, "gfni", "vaes",
    "vpclmulqdq", "avx512_vnni", "avx512_bitalg", 0, "avx512_vpopcntdq", 0, "la57", 0, 0,
    0, 0, 0, "rdpid", 0, 0, "cldemote", 0, "movdiri", "movdir64b",
};

static void put_flags(char *buf, uint32_t size, uint32_t *n, const char *const names[32],
                      uint32_t bits)
{
    for (int i = 0; i < 32; i++)
        if ((bits >> i & 1) && names[i])
            procfs_put(buf, size, n, " %s", names[i]);
}

/* The brand string of leaves 0x80000002-4, without the spaces Intel puts
 * before it and after it (Linux trims both). */
static void model_name(uint32_t max_ext, char *out, uint32_t size)
{
    uint32_t r[12] = { 0 };
    char s[49];
    if (max_ext < 0x80000004) {
        strlcpy(out, "unknown", size);
        return;
    }
    for (uint32_t i = 0; i < 3; i++)
        cpuid(0x80000002 + i, 0, &r[4 * i], &r[4 * i + 1], &r[4 * i + 2], &r[4 * i + 3]);
    memcpy(s, r, 48);
    s[48] = 0;
    const char *start = s;
    while (*start == ' ')
        start++;
    int len = (int)strlen(start);
    while (len > 0 && start[len - 1] == ' ')
        len--;
    if (len == 0) {
        strlcpy(out, "unknown", size);
        return;
    }
    ksnprintf(out, size, "%.*s", len, start);
}

int procfs_gen_cpuinfo(int pid, char *buf, uint32_t size)
{
    (void)pid;
    uint32_t n = 0, max, a, b, c, d;
    char vendor[13];
    cpuid(0, 0, &max, &b, &c, &d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    vendor[12] = 0;
    uint32_t sig = 0, misc = 0, ecx1 = 0, edx1 = 0;
    if (max >= 1)
        cpuid(1, 0, &sig, &misc, &ecx1, &edx1);
    uint32_t ebx7 = 0, ecx7 = 0, max_ext, ecx_ext = 0, edx_ext = 0;
    if (max >= 7)
        cpuid(7, 0, &a, &ebx7, &ecx7, &d);
    cpuid(0x80000000, 0, &max_ext, &b, &c, &d);
    if (max_ext < 0x80000000 || max_ext > 0x8000ffff)
        max_ext = 0;                   /* no extended leaves */
    if (max_ext >= 0x80000001)
        cpuid(0x80000001, 0, &a, &b, &ecx_ext, &edx_ext);
    uint32_t phys = (edx1 & (1u << 6)) ? 36 : 32, virt = 32;
    if (max_ext >= 0x80000008) {
        cpuid(0x80000008, 0, &a, &b, &c, &d);
        phys = a & 0xff;
        virt = (a >> 8) & 0xff;
    }
    /* Family, model and stepping as Linux works them out (x86_family,
     * x86_model): the extended fields count for families 15 and 6 up. */
    uint32_t family = (sig >> 8) & 0xf, model = (sig >> 4) & 0xf;
    if (family == 0xf)
        family += (sig >> 20) & 0xff;
    if (family >= 6)
        model += ((sig >> 16) & 0xf) << 4;
    char name[49];
    model_name(max_ext, name, sizeof name);
    uint32_t clflush = ((misc >> 8) & 0xff) * 8;
    bool fpu = edx1 & 1;

    procfs_put(buf, size, &n, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\n"
               "model\t\t: %u\nmodel name\t: %s\nstepping\t: %u\n", vendor, family, model, name,
               sig & 0xf);
    uint64_t hz = timer_tsc_hz();
    uint32_t khz = (uint32_t)(hz / 1000);
    if ((edx1 & (1u << 4)) && khz)
        procfs_put(buf, size, &n, "cpu MHz\t\t: %u.%03u\n", khz / 1000, khz % 1000);
    procfs_put(buf, size, &n, "physical id\t: 0\nsiblings\t: 1\ncore id\t\t: 0\n"
               "cpu cores\t: 1\napicid\t\t: %u\ninitial apicid\t: %u\n", misc >> 24, misc >> 24);
    procfs_put(buf, size, &n, "fdiv_bug\t: no\nf00f_bug\t: no\ncoma_bug\t: no\n"
               "fpu\t\t: %s\nfpu_exception\t: %s\ncpuid level\t: %u\nwp\t\t: yes\n",
               fpu ? "yes" : "no", fpu ? "yes" : "no", max);
    procfs_put(buf, size, &n, "flags\t\t:");
    put_flags(buf, size, &n, leaf1_edx, edx1);
    put_flags(buf, size, &n, ext1_edx, edx_ext);
    put_flags(buf, size, &n, leaf1_ecx, ecx1);
    put_flags(buf, size, &n, ext1_ecx, ecx_ext);
    put_flags(buf, size, &n, leaf7_ebx, ebx7);
    put_flags(buf, size, &n, leaf7_ecx, ecx7);
    /* bogomips: Linux's loops_per_jiffy / (500000 / HZ), where a TSC delay
     * loop counts one loop per cycle: 2 * MHz, with two decimals. */
    uint32_t centi = (uint32_t)(hz / 5000);
    procfs_put(buf, size, &n, "\nbugs\t\t:\nbogomips\t: %u.%02u\n", centi / 100, centi % 100);
    procfs_put(buf, size, &n, "clflush size\t: %u\ncache_alignment\t: %u\n"
               "address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n",
               clflush, clflush, phys, virt);
    return (int)n;
}
