// dynplugin: a shared library dyn_libuser loads itself with dlopen.
static int offset = 100;

int dynplugin_add(int x)
{
    return x + offset;
}
