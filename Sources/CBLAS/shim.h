#include <cblas.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

/// Re-initialises a `DYNAMIC_ARCH` OpenBLAS with the kernels of core type `coretype` (one of
/// OpenBLAS's names: "Haswell", "SkylakeX", "Cooperlake", ...). OpenBLAS picks its kernels in a
/// library constructor before `main`, from a table of CPU models; a CPU newer than the table gets
/// its generic fallback. `gotoblas_dynamic_init` reads `OPENBLAS_CORETYPE` and installs that
/// core's kernel table, so the variable is set for the call and restored afterwards.
/// No GEMM may run during the call. Returns 0, or -1 when the library has no such entry points
/// (a build for one CPU, whose kernels cannot be changed).
static inline int mkt_openblas_select_core(const char *coretype) {
    void (*quit)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_quit");
    void (*init)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "gotoblas_dynamic_init");
    if (!quit || !init) return -1;
    const char *old = getenv("OPENBLAS_CORETYPE");
    char *saved = old ? strdup(old) : NULL;
    setenv("OPENBLAS_CORETYPE", coretype, 1);
    quit();
    init();
    if (saved) {
        setenv("OPENBLAS_CORETYPE", saved, 1);
        free(saved);
    } else {
        unsetenv("OPENBLAS_CORETYPE");
    }
    return 0;
}
