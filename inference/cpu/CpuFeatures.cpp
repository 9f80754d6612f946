#include "inference/cpu/CpuFeatures.h"

namespace lucent {

#if defined(__x86_64__) && defined(__GNUC__)
bool cpuHasAvx2() {
    static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    return has;
}
bool cpuHasAvxVnni() {
    static const bool has = cpuHasAvx2() && __builtin_cpu_supports("avxvnni");
    return has;
}
bool cpuHasAvx512Vnni() {
    static const bool has = cpuHasAvx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                            __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
    return has;
}
#else
bool cpuHasAvx2() { return false; }
bool cpuHasAvxVnni() { return false; }
bool cpuHasAvx512Vnni() { return false; }
#endif

} // namespace lucent
