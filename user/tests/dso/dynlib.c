// dynlib: a shared library for dyn_libuser (t_dynamic): code, data and a
// thread-local variable of its own, which the dynamic loader must map and
// relocate before the program's main runs.
__thread int dynlib_tls = 5;
int dynlib_table[1000] = { 1 };          // a few pages of .data

int dynlib_twice(int x)
{
    return 2 * x + dynlib_tls + dynlib_table[0];
}
