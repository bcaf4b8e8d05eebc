// jobs.c: commands run in the background with &. The shell remembers their
// pids: wait waits for them; an interactive shell says when one has ended.
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bunshin.h"
#include "sh.h"

// --- jobs ----------------------------------------------------------------------------

static struct job {
    int id;
    pid_t pid;
} jobs[64];
static int njobs;

void jobs_add(pid_t pid)
{
    int id = 1;
    for (int i = 0; i < njobs; i++)
        if (jobs[i].id >= id)
            id = jobs[i].id + 1;
    if (njobs < (int)(sizeof jobs / sizeof jobs[0])) {
        jobs[njobs].id = id;
        jobs[njobs].pid = pid;
        njobs++;
    }
    if (sh.interactive)
        fprintf(stderr, "[%d] %d\n", id, (int)pid);
}

// In a forked child: the jobs are the parent's children, not ours.
void jobs_forget(void)
{
    njobs = 0;
}

static void job_remove(int i)
{
    jobs[i] = jobs[--njobs];
}

void jobs_report(void)
{
    for (int i = 0; i < njobs;) {
        int st;
        if (waitpid(jobs[i].pid, &st, WNOHANG) == jobs[i].pid) {
            if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
                fprintf(stderr, "[%d] %d done\n", jobs[i].id, (int)jobs[i].pid);
            else
                fprintf(stderr, "[%d] %d %s\n", jobs[i].id, (int)jobs[i].pid, status_str(st));
            job_remove(i);
        } else {
            i++;
        }
    }
    // Here-document writers and the like: reap them quietly.
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
}

int jobs_wait_all(void)
{
    while (njobs > 0) {
        wait_child(jobs[0].pid);
        job_remove(0);
    }
    return 0;
}

int jobs_wait_pid(pid_t pid)
{
    for (int i = 0; i < njobs; i++)
        if (jobs[i].pid == pid) {
            int s = wait_child(pid);
            job_remove(i);
            return s;
        }
    int st;
    if (waitpid(pid, &st, 0) == pid)
        return wait_status(st);
    return 127;   // not a child of this shell
}

int jobs_list(void)
{
    for (int i = 0; i < njobs; i++)
        printf("[%d] %d running\n", jobs[i].id, (int)jobs[i].pid);
    return 0;
}
