/* personality.h: personality(2)'s flags that bunshin looks at.
 * Linux: <linux/personality.h> */
#ifndef PERSONALITY_H
#define PERSONALITY_H

#define ADDR_NO_RANDOMIZE 0x0040000   /* bunshin: an enum there. No randomised layout (setarch -R) */

#endif
