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
#include <wchar.h>
#include <ncurses.h>

static inline attr_t lk_attr_bold(void) { return A_BOLD; }
static inline attr_t lk_attr_dim(void) { return A_DIM; }
static inline attr_t lk_attr_reverse(void) { return A_REVERSE; }
static inline attr_t lk_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t lk_attr_normal(void) { return A_NORMAL; }
static inline int lk_key_f(int n) { return KEY_F(n); }

#endif
