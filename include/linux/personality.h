/* personality.h: personality(2)'s flags that bunshin looks at.
 * Linux: <linux/personality.h> */
#ifndef PERSONALITY_H
#define PERSONALITY_H

#define ADDR_NO_RANDOMIZE 0x0040000   /* no address space randomisation (setarch -R) */

#endif
