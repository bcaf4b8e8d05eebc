/* vga.c: text output on the VGA screen. The screen is 80x25 cells at physical
 * 0xB8000; each cell is two bytes, the character and its colour. The blinking
 * cursor is moved through the CRT controller's index/data ports. */
#include "drivers/vga.h"
#include "param.h"
#include "x86.h"

#define VGA_PHYS   0xB8000u
#define VGA_COLS   80
#define VGA_ROWS   25
#define VGA_COLOUR 0x07            /* light grey on black */
#define CRTC_INDEX 0x3D4
#define CRTC_DATA  0x3D5

static volatile uint16_t *screen;
static int row, col;

static void move_cursor(void)
{
    uint16_t pos = (uint16_t)(row * VGA_COLS + col);
    outb(CRTC_INDEX, 14);                  /* cursor location, high byte */
    outb(CRTC_DATA, (uint8_t)(pos >> 8));
    outb(CRTC_INDEX, 15);                  /* cursor location, low byte */
    outb(CRTC_DATA, (uint8_t)pos);
}

void vga_init(void)
{
    screen = (volatile uint16_t *)P2V(VGA_PHYS);
    for (int i = 0; i < VGA_COLS * VGA_ROWS; i++)
        screen[i] = (uint16_t)(VGA_COLOUR << 8 | ' ');
    row = col = 0;
    move_cursor();
}

static void scroll(void)
{
    for (int i = 0; i < VGA_COLS * (VGA_ROWS - 1); i++)
        screen[i] = screen[i + VGA_COLS];
    for (int i = VGA_COLS * (VGA_ROWS - 1); i < VGA_COLS * VGA_ROWS; i++)
        screen[i] = (uint16_t)(VGA_COLOUR << 8 | ' ');
    row = VGA_ROWS - 1;
}

void vga_putc(char c)
{
    if (!screen)
        return;
    switch (c) {
    case '\n':
        col = 0;
        row++;
        break;
    case '\r':
        col = 0;
        break;
    case '\b':
        if (col > 0)
            col--;
        screen[row * VGA_COLS + col] = (uint16_t)(VGA_COLOUR << 8 | ' ');
        break;
    case '\t':
        col = (col + 8) & ~7;
        break;
    default:
        screen[row * VGA_COLS + col] = (uint16_t)(VGA_COLOUR << 8 | (uint8_t)c);
        col++;
        break;
    }
    if (col >= VGA_COLS) {
        col = 0;
        row++;
    }
    if (row >= VGA_ROWS)
        scroll();
    move_cursor();
}
