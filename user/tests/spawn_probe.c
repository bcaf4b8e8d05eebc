// spawn_probe: an exec target for t_spawn. It checks what it was given and
// answers with its exit status only (it prints nothing):
//   spawn_probe hello world      with SPAWN_PROBE=42 in the environment
// exits 42 when argv[1..2] and the variable are right; 1 for wrong
// arguments, 2 for a missing or wrong variable.
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "hello") != 0 || strcmp(argv[2], "world") != 0)
        return 1;
    const char *v = getenv("SPAWN_PROBE");
    if (!v || strcmp(v, "42") != 0)
        return 2;
    return 42;
}
