/* vga.c: text output on the VGA screen. The screen is 80x25 cells at physical
 * 0xB8000; each cell is two bytes, the character and its colour. The blinking
 * cursor is moved through the CRT controller's index/data ports.
 *
 * The screen is a terminal as Linux's console is one (console_codes(4)):
 * control characters move the cursor (\r, \n, \b, \t), and the ANSI escape
 * sequences a full-screen program writes are obeyed: cursor moves (ESC [ A
 * to D, H, G, d), erasing the screen and the line (ESC [ J, K), inserting
 * and deleting lines and characters, a scrolling region (ESC [ r), saving
 * the cursor (ESC 7, ESC 8) and colours (ESC [ m). Sequences it does not
 * know are swallowed whole, never shown. As on a VT100, writing the last
 * column leaves the cursor there until the next character ("pending
 * wrap"), so that a program can fill a line without scrolling the screen.
 */
#include "drivers/vga.h"
#include "param.h"
#include "types.h"
#include "x86.h"

#define VGA_PHYS   0xB8000u
#define VGA_COLS   80
#define VGA_ROWS   25
#define VGA_COLOUR 0x07            /* light grey on black */
#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5
#define MAX_PARAMS 8

static volatile uint16_t *screen;
static int row, col;
static bool need_wrap;             /* the last column was written: wrap first */
static int top, bottom = VGA_ROWS - 1;   /* the scrolling region, inclusive */
static int saved_row, saved_col;   /* ESC 7 / ESC [ s */

/* Colours, as SGR sets them; attr is the cell byte they make. */
static int fg = 7, bg = 0;
static bool bold, reverse;
static uint8_t attr = VGA_COLOUR;

/* The escape sequence being read. */
static enum { NORMAL, ESCAPE, CSI } state;
static int params[MAX_PARAMS], nparams;
static bool private_seq;           /* ESC [ ? ...: DEC's private modes */

static void move_cursor(void)
{
    uint16_t pos = (uint16_t)(row * VGA_COLS + col);
    outb(CRTC_INDEX, 14);                  /* cursor location, high byte */
    outb(CRTC_DATA, (uint8_t)(pos >> 8));
    outb(CRTC_INDEX, 15);                  /* cursor location, low byte */
    outb(CRTC_DATA, (uint8_t)pos);
}

/* Show or hide the cursor (ESC [ ? 25 h / l): bit 5 of the cursor-start
 * register turns it off. */
static void show_cursor(bool on)
{
    outb(CRTC_INDEX, 10);
    uint8_t start = inb(CRTC_DATA);
    outb(CRTC_INDEX, 10);
    outb(CRTC_DATA, on ? (start & ~0x20) : (start | 0x20));
}

/* Blank cells [from, to) of the screen, in the current background colour
 * (what Linux's console erases with). */
static void blank(int from, int to)
{
    uint16_t cell = (uint16_t)(attr << 8 | ' ');
    for (int i = from; i < to; i++)
        screen[i] = cell;
}

/* Move rows [first, last] of the screen up by n (down if n < 0), blanking
 * the rows that come in. */
static void scroll_rows(int first, int last, int n)
{
    int height = last - first + 1;
    if (n > height)
        n = height;
    if (n < -height)
        n = -height;
    if (n > 0) {
        for (int r = first; r + n <= last; r++)
            for (int c = 0; c < VGA_COLS; c++)
                screen[r * VGA_COLS + c] = screen[(r + n) * VGA_COLS + c];
        blank((last - n + 1) * VGA_COLS, (last + 1) * VGA_COLS);
    } else if (n < 0) {
        for (int r = last; r + n >= first; r--)
            for (int c = 0; c < VGA_COLS; c++)
                screen[r * VGA_COLS + c] = screen[(r + n) * VGA_COLS + c];
        blank(first * VGA_COLS, (first - n) * VGA_COLS);
    }
}

/* A line feed: down one row, scrolling the region at its bottom. */
static void line_feed(void)
{
    if (row == bottom)
        scroll_rows(top, bottom, 1);
    else if (row < VGA_ROWS - 1)
        row++;
}

/* ESC M: up one row, scrolling the region down at its top. */
static void reverse_line_feed(void)
{
    if (row == top)
        scroll_rows(top, bottom, -1);
    else if (row > 0)
        row--;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void set_position(int r, int c)
{
    row = clamp(r, 0, VGA_ROWS - 1);
    col = clamp(c, 0, VGA_COLS - 1);
    need_wrap = false;
}

/* ANSI's colour numbers (black, red, green, yellow, blue, magenta, cyan,
 * white) in VGA's order (black, blue, green, cyan, red, magenta, brown,
 * grey). */
static const uint8_t ansi_to_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static void update_attr(void)
{
    int f = fg | (bold ? 8 : 0), b = bg;
    if (reverse) {
        int x = f;
        f = b;
        b = x;
    }
    attr = (uint8_t)((b & 7) << 4 | (f & 15));
}

/* ESC [ ... m: colours and attributes. */
static void select_graphics(void)
{
    if (nparams == 0)
        nparams = 1;                       /* ESC [ m is ESC [ 0 m */
    for (int i = 0; i < nparams; i++) {
        int p = params[i];
        if (p == 0) {
            fg = 7;
            bg = 0;
            bold = reverse = false;
        } else if (p == 1) {
            bold = true;
        } else if (p == 22) {
            bold = false;
        } else if (p == 7) {
            reverse = true;
        } else if (p == 27) {
            reverse = false;
        } else if (p >= 30 && p <= 37) {
            fg = ansi_to_vga[p - 30];
        } else if (p == 39) {
            fg = 7;
        } else if (p >= 40 && p <= 47) {
            bg = ansi_to_vga[p - 40];
        } else if (p == 49) {
            bg = 0;
        } else if (p >= 90 && p <= 97) {
            fg = ansi_to_vga[p - 90] | 8;
        }
    }
    update_attr();
}

/* The n-th parameter, or def when it is missing or 0 (as counts are). */
static int arg(int n, int def)
{
    return n < nparams && params[n] ? params[n] : def;
}

/* ESC [ J and ESC [ K: 0 from the cursor on, 1 up to it, 2 (3) all. */
static void erase(bool whole_screen)
{
    int here = row * VGA_COLS + col;
    int start = whole_screen ? 0 : row * VGA_COLS;
    int end = whole_screen ? VGA_COLS * VGA_ROWS : (row + 1) * VGA_COLS;
    switch (nparams ? params[0] : 0) {
    case 0: blank(here, end); break;
    case 1: blank(start, here + 1); break;
    case 2:
    case 3: blank(start, end); break;
    }
}

/* ESC [ @ and ESC [ P: insert n blanks at the cursor (n > 0), or delete
 * -n characters there; the rest of the line moves. */
static void shift_line(int n)
{
    volatile uint16_t *line = screen + row * VGA_COLS;
    int here = row * VGA_COLS + col;
    if (n > 0) {
        n = clamp(n, 0, VGA_COLS - col);
        for (int c = VGA_COLS - 1; c >= col + n; c--)
            line[c] = line[c - n];
        blank(here, here + n);
    } else {
        n = clamp(-n, 0, VGA_COLS - col);
        for (int c = col; c + n < VGA_COLS; c++)
            line[c] = line[c + n];
        blank((row + 1) * VGA_COLS - n, (row + 1) * VGA_COLS);
    }
}

/* The last byte of ESC [ params: do what it says. */
static void csi_dispatch(char final)
{
    if (private_seq) {                     /* only the cursor's visibility */
        if ((final == 'h' || final == 'l') && nparams && params[0] == 25)
            show_cursor(final == 'h');
        return;
    }
    switch (final) {
    case 'A': set_position(row - arg(0, 1), col); break;
    case 'B': set_position(row + arg(0, 1), col); break;
    case 'C': set_position(row, col + arg(0, 1)); break;
    case 'D': set_position(row, col - arg(0, 1)); break;
    case 'E': set_position(row + arg(0, 1), 0); break;
    case 'F': set_position(row - arg(0, 1), 0); break;
    case 'G':
    case '`': set_position(row, arg(0, 1) - 1); break;
    case 'd': set_position(arg(0, 1) - 1, col); break;
    case 'H':
    case 'f': set_position(arg(0, 1) - 1, arg(1, 1) - 1); break;
    case 'J': erase(true); break;
    case 'K': erase(false); break;
    case 'X': {
        int here = row * VGA_COLS + col;
        blank(here, here + clamp(arg(0, 1), 0, VGA_COLS - col));
        break;
    }
    case '@': shift_line(arg(0, 1)); break;
    case 'P': shift_line(-arg(0, 1)); break;
    case 'L':                              /* insert lines: the rest moves down */
        if (row >= top && row <= bottom)
            scroll_rows(row, bottom, -arg(0, 1));
        break;
    case 'M':                              /* delete lines: the rest moves up */
        if (row >= top && row <= bottom)
            scroll_rows(row, bottom, arg(0, 1));
        break;
    case 'S': scroll_rows(top, bottom, arg(0, 1)); break;
    case 'T': scroll_rows(top, bottom, -arg(0, 1)); break;
    case 'm': select_graphics(); break;
    case 'r': {                            /* the scrolling region; cursor home */
        int t = arg(0, 1) - 1, b = arg(1, VGA_ROWS) - 1;
        if (t < b && b < VGA_ROWS) {
            top = t;
            bottom = b;
            set_position(0, 0);
        }
        break;
    }
    case 's':
        saved_row = row;
        saved_col = col;
        break;
    case 'u': set_position(saved_row, saved_col); break;
    }
}

/* ESC c: the screen as at boot. */
static void reset(void)
{
    fg = 7;
    bg = 0;
    bold = reverse = false;
    update_attr();
    top = 0;
    bottom = VGA_ROWS - 1;
    blank(0, VGA_COLS * VGA_ROWS);
    set_position(0, 0);
    show_cursor(true);
}

void vga_init(void)
{
    screen = (volatile uint16_t *)P2V(VGA_PHYS);
    reset();
    move_cursor();
}

/* A byte after ESC. */
static void escape(char c)
{
    state = NORMAL;
    switch (c) {
    case '[':
        state = CSI;
        nparams = 0;
        params[0] = 0;
        private_seq = false;
        break;
    case '7':
        saved_row = row;
        saved_col = col;
        break;
    case '8': set_position(saved_row, saved_col); break;
    case 'c': reset(); break;
    case 'D': line_feed(); break;
    case 'E': col = 0; line_feed(); break;
    case 'M': reverse_line_feed(); break;
    }
}

/* A byte of ESC [ ...: digits and ';' are parameters, '?' marks a private
 * sequence, a byte from '@' to '~' ends it. */
static void csi(char c)
{
    if (c >= '0' && c <= '9') {
        if (nparams == 0)
            nparams = 1;
        int *p = &params[nparams - 1];
        if (*p < 10000)
            *p = *p * 10 + (c - '0');
    } else if (c == ';') {
        if (nparams == 0)
            nparams = 1;                   /* ";5H": the first is missing */
        if (nparams < MAX_PARAMS)
            params[nparams++] = 0;
    } else if (c == '?') {
        private_seq = true;
    } else if (c >= '@' && c <= '~') {
        state = NORMAL;
        csi_dispatch(c);
    }
}

/* A printable character at the cursor. */
static void put_char(char c)
{
    if (need_wrap) {
        col = 0;
        line_feed();
        need_wrap = false;
    }
    screen[row * VGA_COLS + col] = (uint16_t)(attr << 8 | (uint8_t)c);
    if (col == VGA_COLS - 1)
        need_wrap = true;
    else
        col++;
}

void vga_putc(char c)
{
    if (!screen)
        return;
    if (c == 0x1B) {                       /* ESC starts a sequence, anywhere */
        state = ESCAPE;
    } else if (c == 0x18 || c == 0x1A) {   /* CAN, SUB: the sequence is off */
        state = NORMAL;
    } else if (state == ESCAPE) {
        escape(c);
    } else if (state == CSI) {
        csi(c);
    } else {
        switch (c) {
        case '\n':
        case '\v':
        case '\f':
            line_feed();
            break;
        case '\r':
            col = 0;
            need_wrap = false;
            break;
        case '\b':                         /* back one cell; nothing erased */
            if (col > 0)
                col--;
            need_wrap = false;
            break;
        case '\t':
            col = clamp((col + 8) & ~7, 0, VGA_COLS - 1);
            break;
        default:
            if ((uint8_t)c >= ' ')
                put_char(c);               /* other control characters: nothing */
            break;
        }
    }
    move_cursor();
}
