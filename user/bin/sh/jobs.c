// jobs.c: the job table. A job is the set of processes the shell forked for
// one pipeline or one & list; the shell remembers each process's pid and
// last wait status, so that jobs can say Running/Stopped/Done, wait can give
// a status after the process has been reaped, and kill and fg can name a
// job as %N. Process groups and the terminal are in jobctl.c.
//
// Every wait here names its pid (waitpid(pid, ...)), never "any child", so
// that the shell never reaps a process that another part of it waits for
// (a $(...) child, say) -- except jobs_report's sweep at the prompt, which
// hands what it reaps to job_update.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "sh.h"

static struct job **tab;   // every job, listed (id > 0) or in the foreground
static int ntab;
static unsigned stamps;    // a clock for "most recently current"

struct job *job_new(char *cmd)
{
    struct job *j = xmalloc(sizeof *j);
    memset(j, 0, sizeof *j);
    j->cmd = cmd;
    tab = xrealloc(tab, (ntab + 1) * sizeof *tab);
    tab[ntab++] = j;
    return j;
}

void job_add_proc(struct job *j, pid_t pid)
{
    j->procs = xrealloc(j->procs, (j->nprocs + 1) * sizeof *j->procs);
    j->procs[j->nprocs].pid = pid;
    j->procs[j->nprocs].state = P_RUNNING;
    j->procs[j->nprocs].status = 0;
    j->nprocs++;
}

void job_free(struct job *j)
{
    for (int i = 0; i < ntab; i++)
        if (tab[i] == j) {
            memmove(tab + i, tab + i + 1, (ntab - i - 1) * sizeof *tab);
            ntab--;
            break;
        }
    free(j->procs);
    free(j->cmd);
    free(j);
}

void job_touch(struct job *j)
{
    j->stamp = ++stamps;
}

// Numbers go up from the highest in use, as in other shells: a new job
// never takes the number of one that has just ended while you look.
void job_number(struct job *j)
{
    if (!j->id) {
        int id = 1;
        for (int i = 0; i < ntab; i++)
            if (tab[i]->id >= id)
                id = tab[i]->id + 1;
        j->id = id;
    }
    job_touch(j);
}

int job_state(struct job *j)
{
    int state = P_DONE;
    for (int i = 0; i < j->nprocs; i++) {
        if (j->procs[i].state == P_RUNNING)
            return P_RUNNING;
        if (j->procs[i].state == P_STOPPED)
            state = P_STOPPED;
    }
    return state;
}

int job_status(struct job *j)
{
    return j->nprocs ? wait_status(j->procs[j->nprocs - 1].status) : 0;
}

int job_update(pid_t pid, int st)
{
    for (int i = 0; i < ntab; i++)
        for (int k = 0; k < tab[i]->nprocs; k++) {
            struct proc *p = &tab[i]->procs[k];
            if (p->pid != pid)
                continue;
            if (WIFSTOPPED(st)) {
                p->state = P_STOPPED;
            } else if (WIFCONTINUED(st)) {
                p->state = P_RUNNING;
            } else {
                p->state = P_DONE;
                p->status = st;
            }
            if (WIFSTOPPED(st) || WIFCONTINUED(st))
                p->status = st;
            tab[i]->notified = 0;
            return 1;
        }
    return 0;
}

// Collect every state change of every job's processes, without blocking.
void jobs_poll(void)
{
    for (int i = 0; i < ntab; i++)
        for (int k = 0; k < tab[i]->nprocs; k++) {
            struct proc *p = &tab[i]->procs[k];
            int st;
            pid_t r;
            while (p->state != P_DONE &&
                   (r = waitpid(p->pid, &st, WNOHANG | WUNTRACED | WCONTINUED)) == p->pid)
                job_update(p->pid, st);
            if (p->state != P_DONE && r < 0 && errno == ECHILD)
                p->state = P_DONE;   // reaped elsewhere: its status is lost
        }
}

void jobs_forget(void)
{
    ntab = 0;   // the entries belong to the parent; not freed, not ours
}

// The current job (+) is the most recent one stopped, else the most recent
// one put in the background; the previous (-) is the one before it.
static int rank(struct job *j)
{
    return (job_state(j) == P_STOPPED ? 1 << 30 : 0) + (int)j->stamp;
}

static struct job *nth_current(int n)
{
    struct job *best[2] = { NULL, NULL };
    for (int i = 0; i < ntab; i++) {
        struct job *j = tab[i];
        if (!j->id)
            continue;
        if (!best[0] || rank(j) > rank(best[0])) {
            best[1] = best[0];
            best[0] = j;
        } else if (!best[1] || rank(j) > rank(best[1])) {
            best[1] = j;
        }
    }
    return best[n];
}

char job_mark(struct job *j)
{
    return j == nth_current(0) ? '+' : j == nth_current(1) ? '-' : ' ';
}

struct job *job_find(const char *spec, const char *who)
{
    jobs_poll();
    struct job *found = NULL;
    if (spec[0] != '%') {
        char *end;
        long pid = strtol(spec, &end, 10);
        if (*end || pid <= 0) {
            sh_error("%s: %s: not a process id or job", who, spec);
            return NULL;
        }
        for (int i = 0; i < ntab; i++)
            for (int k = 0; k < tab[i]->nprocs; k++)
                if (tab[i]->procs[k].pid == pid)
                    return tab[i];
        return NULL;   // not an error here: the caller decides
    }
    const char *s = spec + 1;
    if (!*s || strcmp(s, "%") == 0 || strcmp(s, "+") == 0) {
        found = nth_current(0);
    } else if (strcmp(s, "-") == 0) {
        found = nth_current(1);
    } else if (s[strspn(s, "0123456789")] == '\0') {
        for (int i = 0; i < ntab; i++)
            if (tab[i]->id == atoi(s))
                found = tab[i];
    } else {
        // %string: a job whose command starts with it; %?string: contains it.
        int sub = s[0] == '?';
        for (int i = 0; i < ntab; i++) {
            const char *cmd = tab[i]->cmd ? tab[i]->cmd : "";
            if (!tab[i]->id ||
                !(sub ? strstr(cmd, s + 1) != NULL : strncmp(cmd, s, strlen(s)) == 0))
                continue;
            if (found) {
                sh_error("%s: %s: ambiguous job", who, spec);
                return NULL;
            }
            found = tab[i];
        }
    }
    if (!found || !found->id)
        sh_error("%s: %s: no such job", who, spec);
    return found && found->id ? found : NULL;
}

// "Running", "Stopped", "Done", "Done(3)", "Terminated"...
static const char *state_text(struct job *j)
{
    static char buf[40];
    int state = job_state(j);
    if (state == P_RUNNING)
        return "Running";
    int st = j->procs[j->nprocs - 1].status;
    if (state == P_STOPPED) {
        for (int k = 0; k < j->nprocs; k++)
            if (j->procs[k].state == P_STOPPED)
                st = j->procs[k].status;
        if (WIFSTOPPED(st) && WSTOPSIG(st) != SIGTSTP) {
            snprintf(buf, sizeof buf, "Stopped(SIG%s)", sig_name(WSTOPSIG(st)));
            return buf;
        }
        return "Stopped";
    }
    if (WIFSIGNALED(st))
        return strsignal(WTERMSIG(st));
    if (WIFEXITED(st) && WEXITSTATUS(st)) {
        snprintf(buf, sizeof buf, "Done(%d)", WEXITSTATUS(st));
        return buf;
    }
    return "Done";
}

// One line of jobs: [1]+  Stopped                 sleep 100
// long_form adds the process group (or the first pid without job control).
void job_print(struct job *j, int fd, int long_form)
{
    char pid[16] = "";
    if (long_form)
        snprintf(pid, sizeof pid, " %d", (int)(j->pgid ? j->pgid : j->procs[0].pid));
    int running = job_state(j) == P_RUNNING && j->async;
    dprintf(fd, "[%d]%c%s  %-22s  %s%s\n", j->id, job_mark(j), pid, state_text(j),
            j->cmd ? j->cmd : "", running ? " &" : "");
}

// Before a prompt: report each job that stopped or ended since the last
// report; an ended job is then forgotten.
void jobs_report(void)
{
    int st;
    pid_t pid;
    jobs_poll();
    // Here-document writers and the like: reap them quietly.
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        job_update(pid, st);
    fflush(stdout);
    for (int i = 0; i < ntab;) {
        struct job *j = tab[i];
        int state = job_state(j);
        if (j->id && !j->notified && state != P_RUNNING) {
            job_print(j, 2, 0);
            j->notified = 1;
        }
        if (j->id && state == P_DONE)
            job_free(j);
        else
            i++;
    }
}

void jobs_hangup(void)
{
    for (int i = 0; i < ntab; i++)
        if (tab[i]->pgid && job_state(tab[i]) != P_DONE) {
            kill(-tab[i]->pgid, SIGHUP);
            kill(-tab[i]->pgid, SIGCONT);
        }
}

// jobs [-l | -p] [%JOB...]
int bi_jobs(int argc, char **argv)
{
    int long_form = 0, pids = 0, i = 1, status = 0;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        }
        for (const char *f = argv[i] + 1; *f; f++) {
            if (*f == 'l')
                long_form = 1;
            else if (*f == 'p')
                pids = 1;
            else {
                sh_error("jobs: -%c: unknown option", *f);
                return 2;
            }
        }
    }
    jobs_poll();
    fflush(stdout);
    struct job **show = xmalloc((ntab + 1) * sizeof *show);
    int nshow = 0;
    if (i == argc) {
        for (int k = 0; k < ntab; k++)
            if (tab[k]->id)
                show[nshow++] = tab[k];
        // In the order of their numbers.
        for (int a = 1; a < nshow; a++)
            for (int b = a; b > 0 && show[b - 1]->id > show[b]->id; b--) {
                struct job *t = show[b];
                show[b] = show[b - 1];
                show[b - 1] = t;
            }
    }
    for (; i < argc; i++) {
        struct job *j = job_find(argv[i], "jobs");
        if (j)
            show[nshow++] = j;
        else
            status = 1;
        if (nshow > ntab)
            break;
    }
    for (int k = 0; k < nshow; k++) {
        struct job *j = show[k];
        if (pids)
            printf("%d\n", (int)(j->pgid ? j->pgid : j->procs[0].pid));
        else
            job_print(j, 1, long_form);
        j->notified = 1;
    }
    fflush(stdout);
    // What jobs has shown as ended is forgotten, as after a report.
    for (int k = 0; k < nshow; k++)
        if (!pids && job_state(show[k]) == P_DONE)
            job_free(show[k]);
    free(show);
    return status;
}

static void on_chld(int sig)
{
    (void)sig;   // only to end sigsuspend
}

// Wait until job j has ended (or stopped, with job control), or for every
// job when j is NULL. A trapped signal ends the wait early: 128 + its
// number. The signals are blocked between the look and sigsuspend, so
// that one coming in between cannot be missed.
static int wait_jobs(struct job *j)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    trap_blockset(&block);
    sigprocmask(SIG_BLOCK, &block, &old);
    struct sigaction sa, old_chld;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_chld;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGCHLD, NULL, &old_chld);
    // A trapped SIGCHLD wakes sigsuspend by itself (and ends the wait, as
    // any trapped signal does); else a handler of our own, for the wait.
    int own_handler = old_chld.sa_handler == SIG_DFL || old_chld.sa_handler == SIG_IGN;
    if (own_handler)
        sigaction(SIGCHLD, &sa, NULL);
    int status = 0;
    for (;;) {
        int sig = trap_first_pending();
        if (sig) {
            status = 128 + sig;
            break;
        }
        jobs_poll();
        int waiting = 0;
        for (int i = 0; i < ntab; i++) {
            if (j && tab[i] != j)
                continue;
            int state = job_state(tab[i]);
            if (state == P_RUNNING || (state == P_STOPPED && !monitor))
                waiting = 1;
        }
        if (!waiting)
            break;
        sigsuspend(&old);
    }
    if (own_handler)
        sigaction(SIGCHLD, &old_chld, NULL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (status == 0 && j && job_state(j) == P_DONE)
        status = job_status(j);
    else if (status == 0 && j)
        status = 128 + WSTOPSIG(j->procs[0].status);
    return status;
}

// wait [PID | %JOB]...: with no operand, every job (status 0); else each
// in turn, the status being the last one's (127 for one not known).
int bi_wait(int argc, char **argv)
{
    if (argc == 1) {
        int status = wait_jobs(NULL);
        // Ended jobs need not be reported any more: forget them.
        for (int i = 0; i < ntab;)
            if (tab[i]->id && job_state(tab[i]) == P_DONE)
                job_free(tab[i]);
            else
                i++;
        return status;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        struct job *j = job_find(argv[i], "wait");
        if (!j) {
            status = 127;
            continue;
        }
        status = wait_jobs(j);
        if (status > 128 && trap_first_pending())
            return status;
        if (argv[i][0] != '%') {
            // wait PID: that process's status, even in a pipeline.
            for (int k = 0; k < j->nprocs; k++)
                if (j->procs[k].pid == atol(argv[i]) && j->procs[k].state == P_DONE)
                    status = wait_status(j->procs[k].status);
        }
        if (job_state(j) == P_DONE)
            job_free(j);
    }
    return status;
}
