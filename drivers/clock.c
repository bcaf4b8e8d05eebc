/* clock.c: wall-clock time from the CMOS real-time clock, plus timer ticks.
 * The RTC is read once at boot (registers 0x00-0x09 of the MC146818, BCD
 * unless status register B says binary); after that the time of day is the
 * boot time plus the ticks counted since. */
#include "drivers/clock.h"
#include "drivers/timer.h"
#include "param.h"
#include "x86.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

static uint32_t boot_seconds;      /* time of day at clock_init */
static int64_t realtime_set_ns;    /* what settimeofday added to it (may be < 0) */
static uint64_t boot_ticks;

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static uint32_t bcd(uint8_t v, bool binary)
{
    return binary ? v : (uint32_t)((v >> 4) * 10 + (v & 0x0F));
}

/* Days from 1970-01-01 to year-month-day (a proleptic Gregorian calendar). */
static uint32_t days_since_epoch(uint32_t y, uint32_t m, uint32_t d)
{
    static const uint16_t before_month[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };
    uint32_t days = (y - 1970) * 365;
    for (uint32_t yy = 1970; yy < y; yy++)
        if ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0)
            days++;
    days += before_month[(m - 1) % 12];
    if (m > 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        days++;
    return days + d - 1;
}

void clock_init(void)
{
    /* Wait until no update is in progress (status A bit 7), then read. */
    for (int i = 0; i < 100000 && (cmos_read(0x0A) & 0x80); i++)
        ;
    uint8_t status_b = cmos_read(0x0B);
    bool binary = status_b & 0x04;
    uint32_t sec = bcd(cmos_read(0x00), binary);
    uint32_t min = bcd(cmos_read(0x02), binary);
    uint8_t hour_raw = cmos_read(0x04);
    uint32_t hour = bcd(hour_raw & 0x7F, binary);
    if (!(status_b & 0x02) && (hour_raw & 0x80))   /* 12-hour clock, PM */
        hour = (hour % 12) + 12;
    uint32_t day = bcd(cmos_read(0x07), binary);
    uint32_t month = bcd(cmos_read(0x08), binary);
    uint32_t year = bcd(cmos_read(0x09), binary) + 2000;
    if (month < 1 || month > 12 || day < 1 || day > 31)
        month = day = 1;                            /* no usable RTC */
    boot_seconds = days_since_epoch(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
    boot_ticks = timer_ticks();
}

uint32_t clock_realtime_seconds(void)
{
    return (uint32_t)(clock_realtime_ns() / 1000000000u);
}

uint64_t clock_realtime_ns(void)
{
    return (uint64_t)((int64_t)boot_seconds * 1000000000 + realtime_set_ns) +
           (timer_ticks() - boot_ticks) * TICK_NS;
}

void clock_set_realtime_ns(uint64_t ns)
{
    uint64_t now = clock_realtime_ns();
    realtime_set_ns += (int64_t)(ns - now);
}

uint64_t clock_monotonic_ns(void)
{
    return timer_ticks() * TICK_NS;
}
