/* selftest.h: tests that run inside the real kernel, chosen by the boot
 * option selftest[=NAMES]. Each check prints "ok NAME" or "FAIL NAME: why"
 * on the console, the line format every bunshin test uses (tests/run.sh
 * adds them up). */
#ifndef SELFTEST_H
#define SELFTEST_H

/* Run the suites named in names (comma-separated; "" means every suite
 * except those that end the kernel on purpose). Returns the failure count. */
int selftest_run(const char *names);

#endif
