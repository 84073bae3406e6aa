#ifndef CCPUID_H
#define CCPUID_H

#include <stdint.h>

/// Feature bits of `mkt_cpu_info.features` (instruction sets the CPU has and the OS enables).
enum {
    MKT_CPU_SSE3 = 1 << 0,
    MKT_CPU_SSSE3 = 1 << 1,
    MKT_CPU_SSE41 = 1 << 2,
    MKT_CPU_SSE42 = 1 << 3,
    MKT_CPU_AVX = 1 << 4,
    MKT_CPU_FMA = 1 << 5,
    MKT_CPU_AVX2 = 1 << 6,
    MKT_CPU_AVX512F = 1 << 7,
    MKT_CPU_AVX512DQ = 1 << 8,
    MKT_CPU_AVX512BW = 1 << 9,
    MKT_CPU_AVX512VL = 1 << 10,
    MKT_CPU_AVX512VNNI = 1 << 11,
    MKT_CPU_AVX512BF16 = 1 << 12,
    MKT_CPU_AVX512FP16 = 1 << 13,
    MKT_CPU_AMXTILE = 1 << 14,
    MKT_CPU_AMXBF16 = 1 << 15,
    MKT_CPU_AMXINT8 = 1 << 16,
};

/// What `cpuid` (and `xgetbv`, for the register state the OS saves) says about this CPU.
typedef struct {
    char vendor[13];      // "GenuineIntel", "AuthenticAMD", ...
    char brand[49];       // the processor brand string, trimmed
    uint32_t family;      // display family (base + extended)
    uint32_t model;       // display model (extended model folded in for families 6 and 15+)
    uint32_t features;    // MKT_CPU_* bits
} mkt_cpu_info;

/// Fills `info`; returns 0, or -1 on a CPU without `cpuid` (not x86-64: everything zero).
int mkt_cpu_identify(mkt_cpu_info *info);

#endif
