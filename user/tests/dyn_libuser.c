// dyn_libuser: a program linked against a shared library of its own
// (libdynlib.so, found beside it through its $ORIGIN run path) that also
// loads one with dlopen (libdynplugin.so). t_dynamic runs it; built by
// user/user.mk, never statically.
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int dynlib_twice(int x);

int main(int argc, char **argv)
{
    (void)argc;
    printf("dynlib_twice(20) %d\n", dynlib_twice(20));
    char dir[PATH_MAX], path[PATH_MAX + 32];
    snprintf(dir, sizeof dir, "%s", argv[0]);
    snprintf(path, sizeof path, "%s/libdynplugin.so", dirname(dir));
    void *h = dlopen(path, RTLD_NOW);
    if (!h) {
        printf("dlopen %s\n", dlerror());
        return 1;
    }
    int (*add)(int) = (int (*)(int))dlsym(h, "dynplugin_add");
    printf("dynplugin_add(3) %d\n", add ? add(3) : -1);
    printf("dlclose %d\n", dlclose(h));
    return 0;
}
