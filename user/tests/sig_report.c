// sig_report: what t_sigfork execs to see which signal settings survive
// execve. It prints, one line each:
//     disp D..I..H...   the action of signals 1 to 64 (D default, I ignored,
//                       H a handler: which must never be seen after execve)
//     mask W0 W1        the blocked mask, two words in hex
//     pending W0 W1     the pending set
//     altstack FLAGS    sigaltstack's ss_flags (2: SS_DISABLE)
//     itimer MS         ITIMER_REAL's time left in ms (0: no alarm)
// and with the argument "wait-alarm", after a handler for SIGALRM is in
// place (an alarm inherited from before execve would otherwise end it):
//     alarm yes|no      whether SIGALRM came within 5 seconds
// Raw system calls throughout: musl would hide signals 32 to 34.
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "bunshin.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

int main(int argc, char **argv)
{
    char disp[65];
    for (int sig = 1; sig <= 64; sig++) {
        unsigned long k[5];    // handler, flags, restorer, mask (2 words)
        if (syscall(SYS_rt_sigaction, sig, NULL, k, 8) < 0)
            disp[sig - 1] = '?';
        else
            disp[sig - 1] = k[0] == (unsigned long)SIG_DFL   ? 'D'
                            : k[0] == (unsigned long)SIG_IGN ? 'I'
                                                             : 'H';
    }
    disp[64] = '\0';
    say("disp %s", disp);
    unsigned long set[2] = { 0, 0 };
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, set, 8);
    say("mask %lx %lx", set[0], set[1]);
    set[0] = set[1] = 0;
    syscall(SYS_rt_sigpending, set, 8);
    say("pending %lx %lx", set[0], set[1]);
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    sigaltstack(NULL, &ss);
    say("altstack %d", ss.ss_flags);
    struct itimerval it;
    memset(&it, 0, sizeof it);
    getitimer(ITIMER_REAL, &it);
    say("itimer %ld", (long)(it.it_value.tv_sec * 1000 + it.it_value.tv_usec / 1000));
    if (argc > 1 && strcmp(argv[1], "wait-alarm") == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigaction(SIGALRM, &sa, NULL);
        long long end = mono_ns() + 5000000000LL;
        while (!alarms && mono_ns() < end)
            sleep_ms(5);
        say("alarm %s", alarms ? "yes" : "no");
    }
    return 0;
}
