// prctl(2) is variadic and lives in <sys/prctl.h>, which Swift's Glibc module does not bring
// in: these inline wrappers give Swift a plain signature for the two calls it needs.
#include <sys/prctl.h>
#include <signal.h>
#include <sys/resource.h>

static inline int ecgrid_set_not_dumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
static inline int ecgrid_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }

/// Sets RLIMIT_CORE to 0 (soft and hard; the soft alone if the hard cannot be lowered).
static inline int ecgrid_disable_core_files(void) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) == 0) return 0;
    struct rlimit current;
    if (getrlimit(RLIMIT_CORE, &current) != 0) return -1;
    current.rlim_cur = 0;
    return setrlimit(RLIMIT_CORE, &current);
}

static inline long long ecgrid_core_limit(void) {
    struct rlimit current;
    if (getrlimit(RLIMIT_CORE, &current) != 0) return -1;
    return (long long)current.rlim_cur;
}

/// SIGQUIT back to its default action (end the process; with no core file allowed, nothing is
/// written): Swift's crash backtracer would otherwise catch it, print every thread over the
/// operator's screen and keep the process alive while it symbolicates.
static inline int ecgrid_default_quit_action(void) {
    struct sigaction action;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    action.sa_handler = SIG_DFL;
    return sigaction(SIGQUIT, &action, 0);
}
