#include "ccpuid.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

int mkt_cpu_identify(mkt_cpu_info *info) {
    memset(info, 0, sizeof *info);
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return -1;
    unsigned maxLeaf = a;
    memcpy(info->vendor + 0, &b, 4);
    memcpy(info->vendor + 4, &d, 4);
    memcpy(info->vendor + 8, &c, 4);

    __get_cpuid(1, &a, &b, &c, &d);
    unsigned baseFamily = (a >> 8) & 0xF, baseModel = (a >> 4) & 0xF;
    unsigned extFamily = (a >> 20) & 0xFF, extModel = (a >> 16) & 0xF;
    info->family = baseFamily == 0xF ? baseFamily + extFamily : baseFamily;
    info->model = (baseFamily == 0x6 || baseFamily == 0xF) ? (extModel << 4) + baseModel : baseModel;

    uint32_t f = 0;
    if (c & bit_SSE3) f |= MKT_CPU_SSE3;
    if (c & bit_SSSE3) f |= MKT_CPU_SSSE3;
    if (c & bit_SSE4_1) f |= MKT_CPU_SSE41;
    if (c & bit_SSE4_2) f |= MKT_CPU_SSE42;
    // AVX state (xmm and ymm) must be saved by the OS (OSXSAVE, XCR0 bits 1 and 2); AVX-512 also
    // needs the opmask and upper zmm state (bits 5-7); AMX the tile state (bits 17 and 18).
    int osxsave = (c & bit_OSXSAVE) != 0;
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    int avxState = (xcr0 & 0x6) == 0x6;
    int avx512State = avxState && (xcr0 & 0xE0) == 0xE0;
    int amxState = (xcr0 & 0x60000) == 0x60000;
    if (avxState && (c & bit_AVX)) f |= MKT_CPU_AVX;
    if (avxState && (c & bit_FMA)) f |= MKT_CPU_FMA;

    if (maxLeaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if (avxState && (b & (1u << 5))) f |= MKT_CPU_AVX2;
        if (avx512State) {
            if (b & (1u << 16)) f |= MKT_CPU_AVX512F;
            if (b & (1u << 17)) f |= MKT_CPU_AVX512DQ;
            if (b & (1u << 30)) f |= MKT_CPU_AVX512BW;
            if (b & (1u << 31)) f |= MKT_CPU_AVX512VL;
            if (c & (1u << 11)) f |= MKT_CPU_AVX512VNNI;
            if (d & (1u << 23)) f |= MKT_CPU_AVX512FP16;
        }
        if (amxState) {
            if (d & (1u << 22)) f |= MKT_CPU_AMXBF16;
            if (d & (1u << 24)) f |= MKT_CPU_AMXTILE;
            if (d & (1u << 25)) f |= MKT_CPU_AMXINT8;
        }
        unsigned subleaves = a;
        if (subleaves >= 1) {
            __cpuid_count(7, 1, a, b, c, d);
            if (avx512State && (a & (1u << 5))) f |= MKT_CPU_AVX512BF16;
        }
    }
    info->features = f;

    __get_cpuid(0x80000000, &a, &b, &c, &d);
    if (a >= 0x80000004) {
        unsigned words[12];
        for (unsigned i = 0; i < 3; i++) {
            __get_cpuid(0x80000002 + i, &words[4 * i], &words[4 * i + 1], &words[4 * i + 2], &words[4 * i + 3]);
        }
        memcpy(info->brand, words, 48);
        info->brand[48] = 0;
        // Trim the padding spaces some CPUs put around the name.
        char *start = info->brand;
        while (*start == ' ') start++;
        memmove(info->brand, start, strlen(start) + 1);
        size_t n = strlen(info->brand);
        while (n > 0 && info->brand[n - 1] == ' ') info->brand[--n] = 0;
    }
    return 0;
}

#else

int mkt_cpu_identify(mkt_cpu_info *info) {
    memset(info, 0, sizeof *info);
    return -1;
}

#endif
