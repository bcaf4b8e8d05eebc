// nop: the tiny static program that the fork+execve, vfork+execve and
// posix_spawn benchmarks start. It exits at once with status 0, so what they
// measure is process creation and execve, not the program.
int main(void)
{
    return 0;
}
