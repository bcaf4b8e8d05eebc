// redir.c: redirections. Each one opens a file (or copies a descriptor)
// and puts it on the fd it names with dup2, then closes the original:
//     cmd > out      open("out", O_WRONLY|O_CREAT|O_TRUNC) = 3; dup2(3, 1); close(3)
//     cmd 2>&1       dup2(1, 2)
//     cmd 3>&-       close(3)
// In a child that then runs execve, that is all. When the shell itself
// runs the command (a builtin, a loop, a group), each fd is first saved as a
// copy above fd 10 with close-on-exec set (so that no command inherits it),
// and put back afterwards.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bunshin.h"
#include "sh.h"

// --- redirections ----------------------------------------------------------------------

static int save_fd(struct saved_fds *s, int fd)
{
    if (!s)
        return 0;
    for (int i = 0; i < s->n; i++)
        if (s->fd[i] == fd)
            return 0;   // the first saved copy is the one to restore
    if (s->n == (int)(sizeof s->fd / sizeof s->fd[0])) {
        sh_error("too many redirections");
        return -1;
    }
    int copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    if (copy < 0 && errno != EBADF) {
        sh_error("cannot save fd %d: %s", fd, strerror(errno));
        return -1;
    }
    s->fd[s->n] = fd;
    s->copy[s->n] = copy;
    s->n++;
    return 0;
}

// A here-document's text as the read end of a pipe. A body larger than a
// pipe can hold is written by a child, so that nobody blocks.
static int heredoc_fd(const char *text)
{
    int p[2];
    if (pipe(p) < 0) {
        sh_error("here-document: pipe: %s", strerror(errno));
        return -1;
    }
    size_t len = strlen(text);
    if (len <= 4096) {
        write_full(p[1], text, len);
    } else {
        pid_t pid = sh_fork();
        if (pid == 0) {
            close(p[0]);
            write_full(p[1], text, len);
            _exit(0);
        }
    }
    close(p[1]);
    return p[0];
}

static int all_digits(const char *s)
{
    return *s && s[strspn(s, "0123456789")] == '\0';
}

int apply_redirs(struct redir *r, struct saved_fds *save)
{
    if (save)
        save->n = 0;
    for (; r; r = r->next) {
        if (save_fd(save, r->fd) < 0)
            return -1;
        int fd;
        if (r->type == R_HEREDOC) {
            char *text = r->heredoc_quoted ? xstrdup(r->heredoc) : expand_heredoc(r->heredoc);
            fd = heredoc_fd(text);
            free(text);
            if (fd < 0)
                return -1;
        } else {
            char *word = expand_string(r->word);
            if (expand_error) {
                free(word);
                return -1;
            }
            if (r->type == R_DUPIN || r->type == R_DUPOUT) {
                // N>&M makes N a copy of M; N>&- closes N.
                int ok = 1;
                if (strcmp(word, "-") == 0) {
                    close(r->fd);
                } else if (!all_digits(word)) {
                    sh_error("%s: bad file descriptor number", word);
                    ok = 0;
                } else {
                    int from = atoi(word);
                    if (fcntl(from, F_GETFD) < 0 || (from != r->fd && dup2(from, r->fd) < 0)) {
                        sh_error("%d: %s", from, strerror(errno));
                        ok = 0;
                    }
                }
                free(word);
                if (!ok)
                    return -1;
                continue;
            }
            /* LAB shell open_redir: begin */
            int flags = 0;
            switch (r->type) {
            case R_IN: flags = O_RDONLY; break;
            case R_OUT: flags = O_WRONLY | O_CREAT | O_TRUNC; break;
            case R_APPEND: flags = O_WRONLY | O_CREAT | O_APPEND; break;
            case R_RDWR: flags = O_RDWR | O_CREAT; break;
            default: break;
            }
            fd = open(word, flags, 0666);
            if (fd < 0) {
                sh_error("%s: %s", word, strerror(errno));
                free(word);
                return -1;
            }
            /* LAB shell open_redir: end */
            free(word);
        }
        if (fd != r->fd) {
            if (dup2(fd, r->fd) < 0) {
                sh_error("%d: %s", r->fd, strerror(errno));
                close(fd);
                return -1;
            }
            close(fd);
        }
    }
    return 0;
}

void restore_redirs(struct saved_fds *s)
{
    for (int i = s->n - 1; i >= 0; i--) {
        if (s->copy[i] >= 0) {
            dup2(s->copy[i], s->fd[i]);
            close(s->copy[i]);
        } else {
            close(s->fd[i]);
        }
    }
    s->n = 0;
}
