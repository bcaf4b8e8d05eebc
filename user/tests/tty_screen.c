// tty_screen: for tests/boot/tty.sh. Writes what a full-screen program
// writes (ANSI escape sequences: clear, cursor moves, erase to the end of
// the line, a colour, a line filled to its last column) so that the test
// can read the VGA screen's memory and see where each character landed.
// Then it waits for a line on stdin, so that the screen holds still while
// it is read, and clears the screen on its way out.
#include <stdio.h>
#include <unistd.h>

static void out(const char *s)
{
    fputs(s, stdout);
}

int main(void)
{
    out("\033[2J");                  // clear the screen
    out("\033[5;10HABCD");           // row 5, column 10 (1-based): "ABCD"
    out("\033[5;12H\033[K");         // erase from column 12 on: "AB" stays
    out("\033[7;1Hxyz\033[2D\033[1P");   // back 2, delete 1: "xz"
    out("\033[7;10H\033[1;31mR\033[0mN");   // a bright red R, then N in grey
    out("\033[9;78Hwrap");           // "wra" fills row 9, "p" starts row 10
    out("\033[20;1Hscreen: ready\n");
    fflush(stdout);
    char line[16];
    read(0, line, sizeof line);
    out("\033[2J\033[H");
    fflush(stdout);
    return 0;
}
