/* syslog.h: the actions of the syslog system call (klogctl in the C
 * library), with Linux's values. Linux keeps them in its own
 * include/linux/syslog.h, not in the headers it exports to programs, so
 * there is nothing for tests/static/abi.sh to compare them with (no
 * "Linux:" line); the syslog(2) man page lists them. */
#ifndef LINUX_SYSLOG_H
#define LINUX_SYSLOG_H

#define SYSLOG_ACTION_CLOSE          0
#define SYSLOG_ACTION_OPEN           1
#define SYSLOG_ACTION_READ           2   /* wait for unread bytes, take them */
#define SYSLOG_ACTION_READ_ALL       3   /* the last len bytes, left as they are */
#define SYSLOG_ACTION_READ_CLEAR     4
#define SYSLOG_ACTION_CLEAR          5
#define SYSLOG_ACTION_CONSOLE_OFF    6
#define SYSLOG_ACTION_CONSOLE_ON     7
#define SYSLOG_ACTION_CONSOLE_LEVEL  8
#define SYSLOG_ACTION_SIZE_UNREAD    9
#define SYSLOG_ACTION_SIZE_BUFFER    10

#endif
