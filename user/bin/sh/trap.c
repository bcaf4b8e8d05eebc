// trap.c: signals in the shell. trap 'ACTION' SIG sets what the shell does
// when SIG comes; kill sends signals to processes and jobs.
//
// A trapped signal's handler only notes that it came: the action is shell
// code, and shell code cannot run inside a signal handler (it allocates,
// forks, changes variables). run_node() calls run_traps() between commands,
// so an action runs after the command that was running when the signal
// came, as POSIX says; wait (jobs.c) returns early instead.
//
// What a forked child inherits (POSIX, and credentials(7)/signal(7) for what
// fork and execve keep): a trapped signal goes back to its default action
// (the handler is code of this shell, which a subshell does not run), an
// ignored one stays ignored, and signals the shell ignores only for itself
// (^C, ^\ in an interactive shell; ^Z, SIGTTIN, SIGTTOU with job control)
// get back the action they had when the shell started.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "bunshin.h"
#include "sh.h"

#define NSIGS 65   // signals 1..64, and 0 for EXIT

static char *action[NSIGS];      // NULL: default; "": ignore; else shell code
static char inherited[NSIGS];    // a parent's trap, only shown by trap (subshell)
static char ign_on_entry[NSIGS]; // ignored when the shell started
static char shell_ign[NSIGS];    // ignored by the shell itself (interactive)
static volatile sig_atomic_t came[NSIGS];
volatile int trap_pending;
static int in_trap;

// The names are the project library's (signame: "SIGINT"), without "SIG".
static const char *known_name(int sig)
{
    const char *n = sig > 0 && sig < NSIGS ? signame(sig) : "";
    return strncmp(n, "SIG", 3) == 0 ? n + 3 : NULL;
}

int sig_number(const char *s)
{
    if (*s >= '0' && *s <= '9') {
        char *end;
        long n = strtol(s, &end, 10);
        return *end || n >= NSIGS ? -1 : (int)n;
    }
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    for (int i = 1; i < NSIGS; i++)
        if (known_name(i) && strcasecmp(s, known_name(i)) == 0)
            return i;
    return -1;
}

const char *sig_name(int sig)
{
    static char buf[12];
    if (sig == 0)
        return "EXIT";
    if (known_name(sig))
        return known_name(sig);
    snprintf(buf, sizeof buf, "%d", sig);
    return buf;
}

static void on_signal(int sig)
{
    came[sig] = 1;
    trap_pending = 1;
}

static void set_disposition(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    // SA_RESTART: the shell's own reads and waits go on; wait (jobs.c)
    // sees the signal through sigsuspend, which always returns.
    sa.sa_flags = SA_RESTART;
    sigfillset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

// Give sig the disposition this shell should have now: its trap's, else
// ignored if the shell ignores it for itself or it was ignored on entry.
static void apply(int sig)
{
    if (sig == 0 || sig == SIGKILL || sig == SIGSTOP)
        return;
    if (action[sig] && !inherited[sig])
        set_disposition(sig, action[sig][0] ? on_signal : SIG_IGN);
    else
        set_disposition(sig, shell_ign[sig] || ign_on_entry[sig] ? SIG_IGN : SIG_DFL);
}

void traps_init(void)
{
    for (int sig = 1; sig < NSIGS; sig++) {
        struct sigaction old;
        if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            ign_on_entry[sig] = 1;
    }
}

void sig_shell_ignore(int sig, int on)
{
    shell_ign[sig] = on;
    apply(sig);
}

void sig_child(void)
{
    for (int sig = 1; sig < NSIGS; sig++) {
        int was_caught = action[sig] && action[sig][0] && !inherited[sig];
        if (action[sig] && action[sig][0])
            inherited[sig] = 1;   // shown by trap in $(trap), never run
        came[sig] = 0;
        if (was_caught || shell_ign[sig]) {
            shell_ign[sig] = 0;
            apply(sig);
        }
    }
    if (action[0])
        inherited[0] = 1;   // a subshell does not run the EXIT trap
    trap_pending = 0;
}

void trap_blockset(void *set)
{
    for (int sig = 1; sig < NSIGS; sig++)
        if (action[sig] && action[sig][0] && !inherited[sig])
            sigaddset((sigset_t *)set, sig);
}

int trap_first_pending(void)
{
    for (int sig = 1; sig < NSIGS; sig++)
        if (came[sig])
            return sig;
    return 0;
}

// Run the action of each signal that came, with $? kept as it was.
void run_traps(void)
{
    if (in_trap)
        return;
    in_trap = 1;
    while (trap_pending) {
        trap_pending = 0;
        for (int sig = 1; sig < NSIGS; sig++) {
            if (!came[sig])
                continue;
            came[sig] = 0;
            if (!action[sig] || !action[sig][0] || inherited[sig])
                continue;
            char *text = xstrdup(action[sig]);   // the action may change the trap
            int status = sh.status;
            run_text(text);
            sh.status = status;
            free(text);
        }
    }
    in_trap = 0;
}

void sh_exit(int status)
{
    sh.status = status;
    if (action[0] && action[0][0] && !inherited[0]) {
        char *text = action[0];
        action[0] = NULL;   // an exit inside the action must not run it again
        run_text(text);
        free(text);
    }
    fflush(NULL);
    exit(status);
}

// Set the trap of sig: NULL default, "" ignore, else an action.
static int set_trap(int sig, const char *act)
{
    if (sig == SIGKILL || sig == SIGSTOP) {
        sh_error("trap: %s: cannot be trapped", sig_name(sig));
        return 1;
    }
    // POSIX: a signal ignored when a non-interactive shell started cannot
    // be trapped or reset (no error is reported).
    if (sig > 0 && ign_on_entry[sig] && !sh.interactive)
        return 0;
    free(action[sig]);
    action[sig] = act ? xstrdup(act) : NULL;
    inherited[sig] = 0;
    apply(sig);
    return 0;
}

// trap prints in the form trap itself reads back: trap -- 'ACTION' NAME.
static void print_trap(int sig)
{
    if (!action[sig])
        return;
    struct str b = { 0 };
    str_adds(&b, "trap -- '");
    for (const char *p = action[sig]; *p; p++) {
        if (*p == '\'')
            str_adds(&b, "'\\''");
        else
            str_addc(&b, *p);
    }
    str_adds(&b, "' ");
    str_adds(&b, sig_name(sig));
    printf("%s\n", b.s);
    free(b.s);
}

// trap [-p [SIG...]] | trap ACTION SIG... | trap - SIG... | trap N SIG...
int bi_trap(int argc, char **argv)
{
    int i = 1;
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i == argc || strcmp(argv[i], "-p") == 0) {
        int all = i == argc || i + 1 == argc;
        if (all) {
            for (int sig = 0; sig < NSIGS; sig++)
                print_trap(sig);
            return 0;
        }
        int status = 0;
        for (i++; i < argc; i++) {
            int sig = strcasecmp(argv[i], "EXIT") == 0 ? 0 : sig_number(argv[i]);
            if (sig < 0) {
                sh_error("trap: %s: bad signal", argv[i]);
                status = 1;
            } else {
                print_trap(sig);
            }
        }
        return status;
    }
    // A subshell that changes a trap starts from its own, empty, set.
    for (int sig = 0; sig < NSIGS; sig++)
        if (inherited[sig]) {
            free(action[sig]);
            action[sig] = NULL;
            inherited[sig] = 0;
        }
    const char *act = argv[i];
    int reset;
    if (i + 1 == argc) {
        reset = 1;   // "trap SIG": the one operand is the condition
    } else if (strcmp(act, "-") == 0) {
        reset = 1;
        i++;
    } else if (act[0] && act[strspn(act, "0123456789")] == '\0') {
        reset = 1;   // POSIX: a number first: every operand is a condition
    } else {
        reset = 0;
        i++;
    }
    int status = 0;
    for (; i < argc; i++) {
        int sig = strcasecmp(argv[i], "EXIT") == 0 ? 0 : sig_number(argv[i]);
        if (sig < 0) {
            sh_error("trap: %s: bad signal", argv[i]);
            status = 1;
            continue;
        }
        status |= set_trap(sig, reset ? NULL : act);
    }
    return status;
}

// --- kill --------------------------------------------------------------------------

// Send sig to job j: its group in monitor mode, else each of its processes.
// A stopped job gets SIGCONT after, so that a SIGTERM is acted upon now.
static int kill_job(struct job *j, int sig)
{
    int r;
    if (j->pgid) {
        r = kill(-j->pgid, sig);
    } else {
        r = -1;
        for (int k = 0; k < j->nprocs; k++)
            if (j->procs[k].state != P_DONE && kill(j->procs[k].pid, sig) == 0)
                r = 0;
    }
    if (r == 0 && job_state(j) == P_STOPPED && sig != SIGKILL) {
        for (int k = 0; k < j->nprocs; k++) {
            struct proc *p = &j->procs[k];
            if (p->state == P_DONE)
                continue;
            if (!j->pgid && sig != SIGCONT)
                kill(p->pid, SIGCONT);
            // Running from now on, so that a wait that follows waits for
            // its end (a stop seen before SIGCONT is never reported after).
            p->state = P_RUNNING;
        }
        if (j->pgid && sig != SIGCONT)
            kill(-j->pgid, SIGCONT);
    }
    return r;
}

// kill -l [N]: the names, or the name of signal N (or of status 128+N).
static int kill_list(int argc, char **argv, int i)
{
    if (i == argc) {
        for (int sig = 1; sig < NSIGS; sig++)
            if (known_name(sig))
                printf("%s\n", known_name(sig));
        return 0;
    }
    int status = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] >= '0' && a[0] <= '9') {
            long n = atol(a);
            int sig = n > 128 ? (int)(n - 128) : (int)n;   // a status 128+N
            if (known_name(sig)) {
                printf("%s\n", known_name(sig));
                continue;
            }
        } else if (sig_number(a) > 0) {
            printf("%d\n", sig_number(a));
            continue;
        }
        sh_error("kill: %s: bad signal", a);
        status = 1;
    }
    return status;
}

// kill [-s SIG | -SIG | -n N] (PID | -PGID | %JOB)... | kill -l [N...]
int bi_kill(int argc, char **argv)
{
    int sig = SIGTERM, i = 1;
    if (i < argc && (strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "-L") == 0))
        return kill_list(argc, argv, i + 1);
    if (i < argc && (strcmp(argv[i], "-s") == 0 || strcmp(argv[i], "-n") == 0)) {
        if (i + 1 == argc || (sig = sig_number(argv[i + 1])) < 0) {
            sh_error("kill: %s: bad signal", i + 1 < argc ? argv[i + 1] : "(none)");
            return 2;
        }
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--") != 0) {
        if ((sig = sig_number(argv[i] + 1)) < 0) {
            sh_error("kill: %s: bad signal", argv[i] + 1);
            return 2;
        }
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i == argc) {
        sh_error("usage: kill [-s SIGNAL | -SIGNAL] PID|%%JOB... | kill -l [N]");
        return 2;
    }
    int status = 0;
    for (; i < argc; i++) {
        if (argv[i][0] == '%') {
            struct job *j = job_find(argv[i], "kill");
            if (!j) {
                status = 1;
                continue;
            }
            if (kill_job(j, sig) < 0) {
                sh_error("kill: %s: %s", argv[i], strerror(errno));
                status = 1;
            }
            continue;
        }
        char *end;
        long pid = strtol(argv[i], &end, 10);
        if (*end || end == argv[i]) {
            sh_error("kill: %s: not a process id or job", argv[i]);
            status = 1;
            continue;
        }
        if (kill(pid, sig) < 0) {
            sh_error("kill: %s: %s", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
