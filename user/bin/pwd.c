// pwd: print the current directory (getcwd: the path with no symbolic links).
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(void)
{
    char buf[PATH_MAX];
    if (!getcwd(buf, sizeof buf)) {
        fprintf(stderr, "pwd: %s\n", strerror(errno));
        return 1;
    }
    puts(buf);
    return fflush(stdout) == 0 ? 0 : 1;
}
