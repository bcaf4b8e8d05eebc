// sleep SECONDS...: pause for the sum of the arguments. Each is a decimal
// number, fractions allowed (0.25), with an optional suffix s, m, h or d.
#include <errno.h>
#include <stdio.h>
#include <time.h>

// Parse "12.5m" into *out. Integer arithmetic only: exact to the
// nanosecond. Returns 0, or -1 if the text is not a duration.
static int parse(const char *s, struct timespec *out)
{
    long long sec = 0, nsec = 0, scale = 100000000;
    const char *p = s;
    int digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        sec = sec * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++, digits++, scale /= 10)
            nsec += (*p - '0') * scale;
    if (!digits || sec > 100000000)
        return -1;
    long long mult = 1;
    switch (*p) {
    case 'd': mult = 86400; p++; break;
    case 'h': mult = 3600; p++; break;
    case 'm': mult = 60; p++; break;
    case 's': p++; break;
    }
    if (*p)
        return -1;
    long long total_ns = nsec * mult;
    out->tv_sec = sec * mult + total_ns / 1000000000;
    out->tv_nsec = total_ns % 1000000000;
    return 0;
}

int main(int argc, char **argv)
{
    struct timespec total = { 0, 0 };
    if (argc < 2) {
        fprintf(stderr, "usage: sleep SECONDS[s|m|h|d]...\n");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        struct timespec t;
        if (parse(argv[i], &t) < 0) {
            fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
            return 1;
        }
        total.tv_sec += t.tv_sec;
        total.tv_nsec += t.tv_nsec;
        if (total.tv_nsec >= 1000000000) {
            total.tv_sec++;
            total.tv_nsec -= 1000000000;
        }
    }
    // An interrupted sleep goes on with what is left.
    while (nanosleep(&total, &total) < 0) {
        if (errno != EINTR) {
            perror("sleep");
            return 1;
        }
    }
    return 0;
}
