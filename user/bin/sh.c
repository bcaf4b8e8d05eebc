// sh: bunshin's first shell. Reads a line, splits it into words, runs it,
// and says so when a command fails. It is fork + execve + wait in a loop:
//     $ echo "a b" 'c d'
// Words are separated by spaces or tabs; '...' quotes literally, "..."
// quotes with \" and \\ escapes, \ outside quotes escapes one character,
// and # starts a comment. Builtins: cd [DIR], exit [N]. Other commands are
// looked up in $PATH (default /bin). A failing command gets a line
// "[exit N]" or "[killed by signal N]" on stderr.
//   sh            commands from stdin; the prompt "$ " if it is a terminal
//   sh FILE       commands from FILE
//   sh -c LINE    run one command line
// The exit status is the last command's (128 + N if killed by signal N).
// Pipes and redirection come with a later issue.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXLINE 4096
#define MAXARGS 128

extern char **environ;

static int last_status;   // status of the last command, as $? would show

// Read one line from fd, byte by byte, so that nothing after the newline
// is consumed: a command run next reads the rest of the input itself.
// Returns the length (the newline removed), or -1 at end of input.
static int read_line(int fd, char *buf, int size)
{
    int len = 0, too_long = 0;
    for (;;) {
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (len == 0 && !too_long)
                return -1;
            break;
        }
        if (c == '\n')
            break;
        if (len < size - 1)
            buf[len++] = c;
        else
            too_long = 1;
    }
    buf[len] = '\0';
    if (too_long) {
        fprintf(stderr, "sh: line too long (more than %d characters)\n", size - 1);
        buf[0] = '\0';
        return 0;
    }
    return len;
}

// Split line into words in place, removing quotes. Returns the number of
// words, or -1 (after a message) if a quote is not closed or there are too
// many words.
static int split(char *line, char **words, int max)
{
    char *in = line, *out = line;
    int n = 0;
    for (;;) {
        while (*in == ' ' || *in == '\t')
            in++;
        if (*in == '\0' || *in == '#')
            break;
        if (n == max - 1) {
            fprintf(stderr, "sh: too many words (at most %d)\n", max - 1);
            return -1;
        }
        words[n++] = out;
        while (*in && *in != ' ' && *in != '\t') {
            char q = *in;
            if (q == '\'' || q == '"') {
                in++;
                while (*in && *in != q) {
                    if (q == '"' && *in == '\\' && (in[1] == '"' || in[1] == '\\'))
                        in++;
                    *out++ = *in++;
                }
                if (*in != q) {
                    fprintf(stderr, "sh: unterminated %c quote\n", q);
                    return -1;
                }
                in++;
            } else if (q == '\\' && in[1]) {
                in++;
                *out++ = *in++;
            } else {
                *out++ = *in++;
            }
        }
        // Each output byte used at least one input byte, so out <= in:
        // the '\0' can only overwrite the separator, saved first.
        char sep = *in;
        *out++ = '\0';
        if (sep == '\0')
            break;
        in++;
    }
    words[n] = NULL;
    return n;
}

// In a child: execve argv[0], searched in $PATH unless it contains a '/'.
// Never returns: exits 127 if not found, 126 if found but not runnable.
static void exec_command(char **argv)
{
    if (strchr(argv[0], '/')) {
        execve(argv[0], argv, environ);
        fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    const char *path = getenv("PATH");
    if (!path)
        path = "/bin";
    int saved = 0;   // the most telling error from a file that exists
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        int len = end ? end - p : (int)strlen(p);
        char full[MAXLINE];
        // An empty PATH element means the current directory.
        snprintf(full, sizeof full, "%.*s%s%s", len, len ? p : ".", "/", argv[0]);
        execve(full, argv, environ);
        if (errno != ENOENT && errno != ENOTDIR)
            saved = errno;
        if (!end)
            break;
        p = end;
    }
    if (saved) {
        fprintf(stderr, "sh: %s: %s\n", argv[0], strerror(saved));
        _exit(126);
    }
    fprintf(stderr, "sh: %s: not found\n", argv[0]);
    _exit(127);
}

// Run one command: a builtin here, anything else in a child.
static void run(char **argv, int argc)
{
    if (strcmp(argv[0], "exit") == 0) {
        exit(argc > 1 ? atoi(argv[1]) : last_status);
    }
    if (strcmp(argv[0], "cd") == 0) {
        const char *dir = argc > 1 ? argv[1] : getenv("HOME");
        if (!dir)
            dir = "/";
        last_status = 0;
        if (chdir(dir) < 0) {
            fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
            last_status = 1;
        }
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "sh: fork: %s\n", strerror(errno));
        last_status = 126;
        return;
    }
    if (pid == 0)
        exec_command(argv);
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "sh: wait: %s\n", strerror(errno));
            last_status = 126;
            return;
        }
    }
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "[killed by signal %d]\n", WTERMSIG(st));
        last_status = 128 + WTERMSIG(st);
    } else {
        last_status = WEXITSTATUS(st);
        if (last_status)
            fprintf(stderr, "[exit %d]\n", last_status);
    }
}

static void run_line(char *line)
{
    char *words[MAXARGS];
    int n = split(line, words, MAXARGS);
    if (n < 0)
        last_status = 2;
    else if (n > 0)
        run(words, n);
}

int main(int argc, char **argv)
{
    static char line[MAXLINE];
    if (argc > 2 && strcmp(argv[1], "-c") == 0) {
        snprintf(line, sizeof line, "%s", argv[2]);
        run_line(line);
        return last_status;
    }
    int fd = 0;
    if (argc > 1) {
        fd = open(argv[1], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
            return 127;
        }
    }
    int interactive = fd == 0 && isatty(0);
    for (;;) {
        if (interactive) {
            fputs("$ ", stdout);
            fflush(stdout);
        }
        if (read_line(fd, line, sizeof line) < 0)
            break;
        run_line(line);
    }
    if (interactive)
        putchar('\n');
    return last_status;
}
