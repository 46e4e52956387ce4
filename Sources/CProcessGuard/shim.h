// prctl(2) is variadic and lives in <sys/prctl.h>, which Swift's Glibc module does not bring
// in: these inline wrappers give Swift a plain signature for the two calls it needs.
#include <sys/prctl.h>
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
