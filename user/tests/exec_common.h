// exec_common.h: what t_exec passes to its exec targets, so that both sides
// agree on the argv and envp the target must see.
#ifndef EXEC_COMMON_H
#define EXEC_COMMON_H

#include <string.h>

// argv[0] need not be the path: the caller chooses it.
#define EXEC_ARGV0 "renamed-by-t_exec"
// Then these words. An empty string is a real argument.
static const char *const exec_args[] = { "full", "two words", "", "last" };
#define EXEC_NARGS 4

// The environment, plus one long variable built by exec_long_var().
static const char *const exec_env[] = { "A=1", "EMPTY=", "SPACE=x y" };
#define EXEC_NENV 3
#define EXEC_LONG_LEN 3000

// "LONG=xxx...x" with EXEC_LONG_LEN x's, into buf (EXEC_LONG_LEN + 6 bytes).
static inline char *exec_long_var(char *buf)
{
    memcpy(buf, "LONG=", 5);
    memset(buf + 5, 'x', EXEC_LONG_LEN);
    buf[5 + EXEC_LONG_LEN] = '\0';
    return buf;
}

// The contents of the file whose descriptor the target inherits.
#define EXEC_FD_TEXT "inherited across execve\n"

#endif
