#ifndef ECGRID_CNCURSES_SHIM_H
#define ECGRID_CNCURSES_SHIM_H

/* The wide-character API is only declared with these set before ncurses.h. */
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ncurses.h>

/* Swift imports neither function-like macros nor C globals under strict concurrency:
   these small functions bridge what the backend needs. */

static inline FILE *ecg_stdout(void) { return stdout; }
static inline FILE *ecg_stdin(void) { return stdin; }

static inline WINDOW *stdscr_window(void) { return stdscr; }

static inline int ecg_ok(void) { return OK; }
static inline int ecg_err(void) { return ERR; }
static inline int ecg_key_code_yes(void) { return KEY_CODE_YES; }
static inline int ecg_key_f(int n) { return KEY_F(n); }

/* True when terminfo has the string capability `name` for this terminal. */
static inline int ecg_has_string_cap(const char *name) {
    char *value = tigetstr((char *)name);
    return value != NULL && value != (char *)-1 && value[0] != 0;
}

/* True when terminfo's string capability `name` is exactly `value`. */
static inline int ecg_string_cap_is(const char *name, const char *value) {
    char *found = tigetstr((char *)name);
    return found != NULL && found != (char *)-1 && strcmp(found, value) == 0;
}

/* True when the terminal's cursor address (cup) is an ECMA-48 control sequence (ESC [): the
   frames are written as such sequences, so a terminal that speaks another language (vt52,
   some hardcopy-era entries) is refused rather than shown garbage. */
static inline int ecg_cursor_is_ecma48(void) {
    char *value = tigetstr((char *)"cup");
    return value != NULL && value != (char *)-1 && value[0] == 27 && value[1] == '[';
}

/* Reads a key: OK with a character, KEY_CODE_YES with a key code, ERR on time-out. */
static inline int ecg_get_key(WINDOW *window, int *code) {
    wint_t value = 0;
    int result = wget_wch(window, &value);
    *code = (int)value;
    return result;
}

#endif
