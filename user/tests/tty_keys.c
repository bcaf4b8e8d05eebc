// tty_keys: for tests/boot/tty.sh. Puts the terminal in non-canonical mode
// without echo (as a full-screen program does), then prints each byte it
// reads in hex, one read a line ("keys: 1b 5b 41" for the up arrow), until
// it reads 'q'; then puts the terminal back as it was.
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
    struct termios old, raw;
    if (tcgetattr(0, &old) < 0) {
        perror("tty_keys: tcgetattr");
        return 1;
    }
    raw = old;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSAFLUSH, &raw);
    printf("keys: ready\n");
    fflush(stdout);
    int done = 0;
    while (!done) {
        unsigned char buf[32];
        ssize_t n = read(0, buf, sizeof buf);
        if (n <= 0)
            break;
        printf("keys:");
        for (ssize_t i = 0; i < n; i++) {
            printf(" %02x", buf[i]);
            if (buf[i] == 'q')
                done = 1;
        }
        printf("\n");
        fflush(stdout);
    }
    tcsetattr(0, TCSANOW, &old);
    return 0;
}
