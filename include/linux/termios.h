/* termios.h: the terminal's settings and ioctls, as Linux i386 has them
 * (the kernel's struct termios, which is not the C library's: no speeds,
 * 19 control characters).
 * Linux: <asm/termbits.h> <asm/ioctls.h> */
#ifndef TERMIOS_H
#define TERMIOS_H

#include "types.h"

#define NCCS 19
struct termios {
    uint32_t c_iflag;      /* input modes: ICRNL... */
    uint32_t c_oflag;      /* output modes: OPOST, ONLCR... */
    uint32_t c_cflag;      /* control modes: CS8, CREAD... */
    uint32_t c_lflag;      /* local modes: ISIG, ICANON, ECHO... */
    uint8_t c_line;        /* line discipline */
    uint8_t c_cc[NCCS];    /* control characters, indexed by V* */
};
_Static_assert(sizeof(struct termios) == 36, "struct termios is 36 bytes on i386");

struct winsize {
    uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* c_cc indexes */
#define VINTR    0         /* ^C: SIGINT */
#define VQUIT    1         /* ^\: SIGQUIT */
#define VERASE   2         /* erase one character */
#define VKILL    3         /* erase the line */
#define VEOF     4         /* ^D: end of file */
#define VTIME    5
#define VMIN     6
#define VSWTC    7
#define VSTART   8
#define VSTOP    9
#define VSUSP    10        /* ^Z: SIGTSTP */
#define VEOL     11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE  14
#define VLNEXT   15
#define VEOL2    16

/* c_iflag */
#define IGNBRK  0x0001
#define BRKINT  0x0002
#define IGNPAR  0x0004
#define PARMRK  0x0008
#define INPCK   0x0010
#define ISTRIP  0x0020
#define INLCR   0x0040
#define IGNCR   0x0080
#define ICRNL   0x0100     /* turn a typed CR into NL */
#define IUCLC   0x0200
#define IXON    0x0400
#define IXANY   0x0800
#define IXOFF   0x1000
#define IMAXBEL 0x2000
#define IUTF8   0x4000

/* c_oflag */
#define OPOST   0x0001     /* process output at all */
#define OLCUC   0x0002
#define ONLCR   0x0004     /* write NL as CR NL */
#define OCRNL   0x0008
#define ONOCR   0x0010
#define ONLRET  0x0020
#define OFILL   0x0040
#define TABDLY  0x1800
#define XTABS   0x1800     /* write a tab as spaces */

/* c_cflag */
#define CSIZE   0x0030
#define CS5     0x0000
#define CS6     0x0010
#define CS7     0x0020
#define CS8     0x0030
#define CSTOPB  0x0040
#define CREAD   0x0080
#define PARENB  0x0100
#define PARODD  0x0200
#define HUPCL   0x0400
#define CLOCAL  0x0800
#define CBAUD   0x100F     /* the line speed's bits */
#define B0      0x0000     /* hang up */
#define B9600   0x000D
#define B38400  0x000F     /* what Linux's terminals start with */

/* c_lflag */
#define ISIG    0x00001    /* INTR, QUIT and SUSP send signals */
#define ICANON  0x00002    /* line by line, with erase and kill */
#define ECHO    0x00008
#define ECHOE   0x00010    /* erase shows as backspace-space-backspace */
#define ECHOK   0x00020
#define ECHONL  0x00040
#define NOFLSH  0x00080
#define TOSTOP  0x00100    /* background writes send SIGTTOU */
#define ECHOCTL 0x00200    /* echo ^C as "^C" */
#define ECHOPRT 0x00400
#define ECHOKE  0x00800
#define FLUSHO  0x01000
#define PENDIN  0x04000
#define IEXTEN  0x08000
#define EXTPROC 0x10000

/* tcsetattr's when */
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2

/* tcflow's actions (TCXONC) */
#define TCOOFF 0           /* suspend output */
#define TCOON  1           /* resume it */
#define TCIOFF 2           /* send the STOP character */
#define TCION  3           /* send the START character */

/* tcflush's queues (TCFLSH) */
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2

/* ioctl requests */
#define TCGETS     0x5401
#define TCSETS     0x5402
#define TCSETSW    0x5403
#define TCSETSF    0x5404
#define TCSBRK     0x5409
#define TCXONC     0x540A
#define TCFLSH     0x540B
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCOUTQ   0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define FIONBIO    0x5421
#define TIOCNOTTY  0x5422
#define TIOCGSID   0x5429
#define TIOCGPTN   0x80045430   /* a pty master's number N: /dev/pts/N */
#define TIOCSPTLCK 0x40045431   /* lock (1) or unlock (0) the slave's opening */
#define TIOCGPTLCK 0x80045439
#define FIONCLEX   0x5450
#define FIOCLEX    0x5451

#endif
