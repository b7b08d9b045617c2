// Typed wrappers for the parts of ncursesw that Swift cannot import directly
// (cast macros, function-like macros, variadic functions). No logic lives here.
#ifndef LOOKOUT_CNCURSESW_SHIM_H
#define LOOKOUT_CNCURSESW_SHIM_H

// SwiftPM drops pkg-config's -D flags, so the wide API must be switched on here,
// before ncurses.h is read (WINDOW's layout depends on it).
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncurses.h>

static inline int lk_key_f(int n) { return KEY_F(n); }

// Mouse masks are built by function-like macros.
static inline mmask_t lk_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t lk_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t lk_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t lk_button1_double_clicked(void) { return BUTTON1_DOUBLE_CLICKED; }
// The wheel: terminals report its turns as presses of buttons 4 (up) and 5 (down).
static inline mmask_t lk_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t lk_button5_pressed(void) { return BUTTON5_PRESSED; }

// tigetstr answers (char *)-1 for a name that is not a string capability: that and an absent
// capability are both NULL here. tiparm is variadic.
static inline const char *lk_tigetstr(const char *name) {
    char *s = tigetstr(name);
    return s == (char *)-1 ? NULL : s;
}
static inline const char *lk_tiparm1(const char *cap, int a) { return tiparm(cap, a); }
static inline const char *lk_tiparm2(const char *cap, int a, int b) { return tiparm(cap, a, b); }

// nl_langinfo(CODESET) is a macro-named enum in glibc; wrap it so the type is plain.
static inline const char *lk_codeset(void) { return nl_langinfo(CODESET); }

#endif
