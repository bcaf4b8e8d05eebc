// touch FILE...: set each file's access and modification times to now,
// creating it (empty) if it does not exist.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: touch FILE...\n");
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        int fd = open(argv[i], O_WRONLY | O_CREAT, 0666);
        if (fd >= 0)
            close(fd);
        // An existing file that cannot be opened for writing can still
        // get new times (if it is ours): try anyway.
        if (utimensat(AT_FDCWD, argv[i], NULL, 0) < 0) {
            fprintf(stderr, "touch: cannot touch '%s': %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
