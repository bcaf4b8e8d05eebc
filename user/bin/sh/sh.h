// sh.h: the parts of bunshin's shell and what they share.
//
// The shell reads one complete command (a line, or more lines when a quote,
// a pipe symbol or an if/while/for is still open), parses it into a tree of
// nodes, runs the tree, frees it and reads the next one:
//
//   input.c    where the text comes from: a string (sh -c, a script file read
//              whole, $(...)) or fd 0 read a byte at a time, with the prompt
//   parse.c    tokens (words, operators, here-documents) and the grammar
//   expand.c   $NAME, ${...}, $(...), `...`, ~, field splitting,
//              * ? [...] file names, quote removal
//   arith.c    $((...)): arithmetic
//   exec.c     the tree run: fork + execve, pipe + dup2 + close for
//              pipelines, &&, ||, ;, &, if/while/for
//   func.c     functions: defined, called in the shell, return
//   redir.c    redirections: open + dup2 + close, saved and restored
//   jobs.c     the job table: pipelines and & lists, their states, %N
//              specs, jobs and wait
//   jobctl.c   job control (set -m): a process group per job, the
//              terminal handed to the foreground job, fg and bg
//   trap.c     signals: trap, kill, what a child inherits
//   cmdtext.c  a tree turned back into text, for jobs to show
//   builtins.c cd, exit, wait, export, unset, read, exec, shift, set, ...
//              and functions (name() { ...; })
//   vars.c     shell variables, the environment, positional parameters
//   main.c     options (sh FILE, sh -c), the read-parse-run loop
#ifndef SH_H
#define SH_H

#include <stddef.h>
#include <sys/types.h>
#include <termios.h>

// --- memory --------------------------------------------------------------------

// An arena: everything a parse allocates, freed in one go after the run.
struct arena;
struct arena *arena_new(void);
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s, size_t len);
void arena_free(struct arena *a);

void *xmalloc(size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);

// A growing string.
struct str {
    char *s;
    size_t len, cap;
};
void str_addc(struct str *b, char c);
void str_add(struct str *b, const char *s, size_t len);
void str_adds(struct str *b, const char *s);
char *str_take(struct str *b);   // the NUL-terminated text; b is empty after

// --- input ------------------------------------------------------------------------

struct input {
    const char *text;   // string source, or NULL: read fd 0 byte by byte
    size_t len, pos;
    int fd;
    int interactive;    // print prompts before reading lines
    const char *prompt; // shown before the next line read from fd
    int at_eof;
    int lineno;
    int back[4];        // pushed-back characters
    int nback;
};
void input_string(struct input *in, const char *text, size_t len);
void input_fd(struct input *in, int fd, int interactive);
int input_getc(struct input *in);   // -1 at end of input
void input_ungetc(struct input *in, int c);

// --- the tree ------------------------------------------------------------------------

enum redir_type {
    R_IN,        // <
    R_OUT,       // >  (and >|)
    R_APPEND,    // >>
    R_RDWR,      // <>
    R_DUPIN,     // <&
    R_DUPOUT,    // >&
    R_HEREDOC,   // << and <<-
};

struct redir {
    enum redir_type type;
    int fd;               // the descriptor redirected
    char *word;           // the file name or descriptor, unexpanded
    char *heredoc;        // R_HEREDOC: the body
    int heredoc_quoted;   // R_HEREDOC: delimiter was quoted: no expansion
    int strip_tabs;       // <<-
    struct redir *next;
};

enum node_type {
    N_CMD,       // simple command: assignments, words, redirections
    N_PIPE,      // cmd | cmd | ...
    N_AND,       // left && right
    N_OR,        // left || right
    N_SEQ,       // left ; right
    N_BG,        // left &
    N_NOT,       // ! left
    N_SUBSHELL,  // ( left )
    N_GROUP,     // { left; }
    N_IF,        // if left then right else els fi
    N_WHILE,     // while left do right done
    N_UNTIL,     // until left do right done
    N_FOR,       // for var in words do right done
    N_FUNC,      // var() left: define a function
    N_CASE,      // case var in cmds[i]: words (patterns) ) left ;; esac
};

struct node {
    enum node_type type;
    struct node *left, *right, *els;
    char **words;            // N_CMD: the words; N_FOR: the list
    int nwords;
    char **assigns;          // N_CMD: NAME=VALUE words before the command
    int nassigns;
    struct node **cmds;      // N_PIPE
    int ncmds;
    char *var;               // N_FOR
    int for_has_in;          // N_FOR: "in" given (else "$@")
    struct redir *redirs;    // N_CMD and compound commands
};

// --- parsing -----------------------------------------------------------------------

struct parser;
// Parse one complete command from in. Returns the tree, or NULL for an
// empty line. *status: 0 ok, 1 end of input (nothing read), 2 syntax error
// (the message is printed; the rest of the line has been skipped).
struct node *parse_command(struct input *in, struct arena *a, int *status);
// Parse a whole string (for $(...)): NULL and *status 2 on a syntax error.
struct node *parse_string(const char *text, struct arena *a, int *status);
int is_name(const char *s, size_t len);   // a valid variable name
int assignment_len(const char *word);      // length of NAME in NAME=..., or 0

// --- expansion ---------------------------------------------------------------------

struct argv {
    char **v;
    int n, cap;
};
void argv_add(struct argv *a, char *s);   // takes s
void argv_free(struct argv *a);
// Expand word into fields (split and globbed) appended to out.
void expand_fields(const char *word, struct argv *out);
// $((text)): its value as a decimal string (malloc'd); an error sets
// expand_error and gives "0" (arith.c).
char *arithmetic(const char *text);
// Expand word into one string: no splitting, no globbing (assignments,
// redirection targets). Returns a malloc'ed string.
char *expand_string(const char *word);
// Expand a pattern (case, ${NAME#pattern}): quoted characters are escaped
// with a backslash so that they match only themselves.
char *expand_pattern(const char *word);
// Expand a here-document body: $, `, \ only.
char *expand_heredoc(const char *body);
// Did the last expansion fail (bad substitution, division by zero)?
extern int expand_error;

// --- running ------------------------------------------------------------------------

#define RUN_EXIT 1   // this process is a child that ends after the node: exec
                     // the last command instead of forking for it

int run_node(struct node *n, int flags);
int run_text(const char *text);   // parse and run text in this shell
int wait_status(int wstatus);   // exit status 0..255 from a wait status
int wait_child(pid_t pid);      // wait for it; its exit status (128+N: signal N)
pid_t sh_fork(void);            // fork; the child forgets the parent's jobs
// Run a command in a child with its stdout into a pipe; returns the output.
char *command_output(const char *text, int *status);
// Redirections applied for a builtin or compound command, undone after.
struct saved_fds {
    int fd[16];
    int copy[16];   // a close-on-exec copy of the old fd, or -1 if it was closed
    int n;
};
int apply_redirs(struct redir *r, struct saved_fds *save);
void restore_redirs(struct saved_fds *save);
// The text of a tree, as jobs shows it (malloc'ed).
char *node_text(struct node *n);

// --- jobs (jobs.c, jobctl.c) -------------------------------------------------------

enum { P_RUNNING, P_STOPPED, P_DONE };
struct proc {
    pid_t pid;
    int state;    // P_RUNNING, P_STOPPED or P_DONE
    int status;   // the last wait status seen
};
// A job: the processes of one pipeline (or one & list). Every forked
// command the shell waits for is one, in the foreground or not.
struct job {
    int id;            // %N; 0 while it runs in the foreground unlisted
    pid_t pgid;        // monitor mode: its process group; else 0
    struct proc *procs;
    int nprocs;
    char *cmd;         // what jobs shows (may be NULL)
    int async;         // runs in the background (started with & or bg)
    int notified;      // its last change of state has been reported
    unsigned stamp;    // when it last became the current job
    int has_tmodes;    // the terminal modes it had when it stopped
    struct termios tmodes;
};
struct job *job_new(char *cmd);            // takes cmd
void job_add_proc(struct job *j, pid_t pid);
void job_free(struct job *j);
void job_number(struct job *j);            // list it with a number, as current
void job_touch(struct job *j);             // make it the current job
int job_state(struct job *j);              // P_RUNNING, P_STOPPED or P_DONE
int job_status(struct job *j);             // its last process's exit status
int job_update(pid_t pid, int wstatus);    // a wait status for pid: 1 if it was a job's
void jobs_poll(void);                      // collect every change, without blocking
// The job of %N, %%, %+, %-, %str, %?str (NULL, said as "who: no such job",
// if none) or of a pid (NULL, said by no one, if none).
struct job *job_find(const char *spec, const char *who);
char job_mark(struct job *j);              // '+', '-' or ' '
void job_print(struct job *j, int fd, int long_form);
void jobs_report(void);   // interactive: say which jobs ended or stopped
void jobs_forget(void);   // in a forked child: the jobs are not ours
void jobs_hangup(void);   // SIGHUP to every job (the shell's terminal is gone)
int bi_jobs(int argc, char **argv);
int bi_wait(int argc, char **argv);

// Job control (jobctl.c).
extern int monitor;     // set -m: a process group per job
void jobctl_init(void); // an interactive shell: take the terminal, monitor on
int jobctl_set(int on); // set -m / set +m
// fork a process of job j, placed in its group (monitor mode) with the
// terminal when fg; in the parent it is added to j. The child forgets jobs.
// j NULL: a child that is no job ($(...)), left in the shell's group.
pid_t job_fork(struct job *j, int fg);
int job_wait_fg(struct job *j);   // wait for a foreground job; its status
int bi_fg(int argc, char **argv);
int bi_bg(int argc, char **argv);

// --- signals and traps (trap.c) ---------------------------------------------------------

extern volatile int trap_pending;   // a trapped signal came: run_traps() soon
void traps_init(void);              // note the signals ignored on entry
void run_traps(void);               // run the actions of the signals that came
int trap_first_pending(void);       // the lowest trapped signal that came, or 0
void trap_blockset(void *sigset);   // add the trapped signals to a sigset_t
void sig_shell_ignore(int sig, int on);   // the shell itself ignores sig
void sig_child(void);               // in a forked child: dispositions of a subshell
void sh_exit(int status) __attribute__((noreturn));   // EXIT trap, then exit
int sig_number(const char *s);      // "INT", "SIGINT", "2": 2; -1 if none
const char *sig_name(int sig);      // "INT" (or "37" for one without a name)
int bi_trap(int argc, char **argv);
int bi_kill(int argc, char **argv);

// --- builtins --------------------------------------------------------------------------

typedef int (*builtin_fn)(int argc, char **argv);
builtin_fn find_builtin(const char *name);
extern int loop_break, loop_continue;   // pending break/continue levels
extern int func_return;                 // return was run in a function
// Functions: the tree of a function's body lives as long as the shell, so
// the arena it was parsed into is never freed once it defines one.
extern int keep_arena;
struct node *find_function(const char *name);
int define_function(struct node *n);   // name() { ...; }: keep the body
// Run a function's body for cmd, with args as $0 $1...: its status.
int call_function(struct node *body, struct node *cmd, struct argv *args);
int builtin_return(int argc, char **argv);
extern int loop_depth;
extern int errexit;   // set -e

// --- variables -------------------------------------------------------------------------

const char *var_get(const char *name);
int var_set(const char *name, const char *value);   // -1 if read-only (none yet)
void var_export(const char *name);
void var_unset(const char *name);
void var_print_exported(void);
void vars_init(char **envp);
// The environment for execve: every exported variable, plus the
// assignments given ("NAME=VALUE", overriding). Returns a malloc'ed array.
char **var_environ(char **assigns, int nassigns);

// --- shell state -----------------------------------------------------------------------

struct shell {
    int interactive;
    int status;          // $?
    int last_signal;     // the last foreground command was killed by this signal
    pid_t pid;           // $$ (the top shell's pid, also in subshells)
    pid_t last_bg;       // $!
    int trace;           // set -x
    char *arg0;          // $0
    char **params;       // $1 ...
    int nparams;
    const char *self;    // path of this shell, to run scripts that are not ELF
    int interrupted;     // monitor mode: the foreground job died of ^C, so the
                         // rest of the command line is not run
    int stopped;         // the last foreground job stopped (no "[exit N]")
};
extern struct shell sh;

// Messages on stderr: "sh: ..." with a newline.
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
