// crash: a helper that dies by SIGSEGV (a NULL write). Tests run it to see
// how a killed program is reported (sh's "[killed by signal 11]", init's
// exit status 139).
int main(void)
{
    *(volatile int *)0 = 1;
    return 0;
}
