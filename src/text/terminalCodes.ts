/**
 * The escape sequences of the full screen: what the monitor writes when it takes the terminal
 * (src/ui/screen.ts) and what a cast starts and ends with (src/record/cast.ts). Plain strings.
 */

export const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h';
export const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';
export const CLEAR_AND_HOME = '\x1b[2J\x1b[H';
export const HIDE_CURSOR = '\x1b[?25l';
export const SHOW_CURSOR = '\x1b[?25h';
/** What entering and leaving the full screen write (also what a cast starts and ends with). */
export const ENTER_FULL_SCREEN = ENTER_ALTERNATE_SCREEN + CLEAR_AND_HOME + HIDE_CURSOR;
export const LEAVE_FULL_SCREEN = SHOW_CURSOR + LEAVE_ALTERNATE_SCREEN;
