#include "cvectorkernels.h"

#include <stdint.h>
#include <string.h>

// No contraction into fused multiply-adds: every variant rounds after each operation, as Swift does.
#pragma clang fp contract(off)
// The helpers below take and return 8-lane vectors; they are always inlined, so the AVX calling
// convention the warning is about never applies.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

#define SPLAT(x) ((v8f){x, x, x, x, x, x, x, x})
#define BITS(x) ((v8f)(v8i){x, x, x, x, x, x, x, x})

// Cephes exp on 8 lanes; the constants are the exact float values of VectorMath.exp's literals.
// `mask ? a : b` lane by lane (mask lanes are all ones or all zeros, as comparisons give).
static inline __attribute__((always_inline)) v8f select8(v8i mask, v8f a, v8f b) {
    return (v8f)((mask & (v8i)a) | (~mask & (v8i)b));
}

static inline __attribute__((always_inline)) v8f exp8(v8f x) {
    const v8f hi = BITS(0x42b17217), lo = BITS((int32_t)0xc2aeac4f);
    v8f v = x;
    v = select8(v < lo, lo, v);
    v = select8(v > hi, hi, v);
    const v8f magic = SPLAT(12582912.0f);
    v8f shifted = v * BITS(0x3fb8aa3b) + magic;
    v8f n = shifted - magic;
    v = v - n * BITS(0x3f318000);
    v = v + n * BITS(0x395e8083);
    v8f p = BITS(0x39506967);
    p = p * v + BITS(0x3ab743ce);
    p = p * v + BITS(0x3c088908);
    p = p * v + BITS(0x3d2aa9c1);
    p = p * v + BITS(0x3e2aaaaa);
    p = p * v + BITS(0x3f000000);
    p = p * (v * v) + v + SPLAT(1.0f);
    v8i bits = (v8i)shifted - 0x4B400000 + 127;
    v8f scale = (v8f)(bits << 23);
    v8f r = p * scale;
    r = select8(x < lo, SPLAT(0.0f), r);
    r = select8(x > hi, SPLAT(__builtin_inff()), r);
    return r;
}

static inline __attribute__((always_inline)) v8f load8(const float *p) {
    v8f x;
    memcpy(&x, p, sizeof x);
    return x;
}

static inline __attribute__((always_inline)) void store8(float *p, v8f x) { memcpy(p, &x, sizeof x); }

static inline __attribute__((always_inline)) float exp_shifted_sum(float *p, long count, float shift) {
    v8f s0 = SPLAT(0.0f), s1 = SPLAT(0.0f);
    const v8f m = SPLAT(shift);
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        v8f e0 = exp8(load8(p + i) - m), e1 = exp8(load8(p + i + 8) - m);
        store8(p + i, e0);
        store8(p + i + 8, e1);
        s0 += e0;
        s1 += e1;
    }
    if (i < count) {
        // The tail in one 16-lane vector; padding lanes are exp(−∞) = 0.
        float t[16];
        long rest = count - i;
        for (long j = 0; j < 16; j++) t[j] = j < rest ? p[i + j] : -__builtin_inff();
        v8f e0 = exp8(load8(t) - m), e1 = exp8(load8(t + 8) - m);
        store8(t, e0);
        store8(t + 8, e1);
        for (long j = 0; j < rest; j++) p[i + j] = t[j];
        s0 += e0;
        s1 += e1;
    }
    float sum = 0;
    for (int j = 0; j < 8; j++) sum += s0[j];
    for (int j = 0; j < 8; j++) sum += s1[j];
    return sum;
}

static inline __attribute__((always_inline)) v8f quick_gelu8(v8f x) {
    v8f z = BITS(0x3fd9db23) * x;
    return x * (SPLAT(1.0f) / (SPLAT(1.0f) + exp8(-z)));
}

static inline __attribute__((always_inline)) void quick_gelu(const float *src, float *dst, long count) {
    long i = 0;
    // Four independent vectors per step: one alone is a chain of ~100 cycles of latency.
    for (; i + 32 <= count; i += 32) {
        v8f y0 = quick_gelu8(load8(src + i)), y1 = quick_gelu8(load8(src + i + 8));
        v8f y2 = quick_gelu8(load8(src + i + 16)), y3 = quick_gelu8(load8(src + i + 24));
        store8(dst + i, y0);
        store8(dst + i + 8, y1);
        store8(dst + i + 16, y2);
        store8(dst + i + 24, y3);
    }
    for (; i + 8 <= count; i += 8) store8(dst + i, quick_gelu8(load8(src + i)));
    if (i < count) {
        float t[8] = {0};
        long rest = count - i;
        for (long j = 0; j < rest; j++) t[j] = src[i + j];
        store8(t, quick_gelu8(load8(t)));
        for (long j = 0; j < rest; j++) dst[i + j] = t[j];
    }
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static float exp_shifted_sum_avx2(float *p, long count, float shift) {
    return exp_shifted_sum(p, count, shift);
}
__attribute__((target("avx2"))) static void quick_gelu_avx2(const float *src, float *dst, long count) {
    quick_gelu(src, dst, count);
}
#endif

static int use_baseline = 0;

void mkt_vector_kernels_use_baseline(int on) { __atomic_store_n(&use_baseline, on ? 1 : 0, __ATOMIC_RELAXED); }

int mkt_vector_kernels_avx2(void) {
#if defined(__x86_64__)
    if (__atomic_load_n(&use_baseline, __ATOMIC_RELAXED)) return 0;
    // A read of the features the runtime found at load time (it also checks the OS saves the
    // AVX registers).
    return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
    return 0;
#endif
}

float mkt_exp_shifted_sum(float *p, long count, float shift) {
#if defined(__x86_64__)
    if (mkt_vector_kernels_avx2()) return exp_shifted_sum_avx2(p, count, shift);
#endif
    return exp_shifted_sum(p, count, shift);
}

void mkt_quick_gelu(const float *src, float *dst, long count) {
#if defined(__x86_64__)
    if (mkt_vector_kernels_avx2()) { quick_gelu_avx2(src, dst, count); return; }
#endif
    quick_gelu(src, dst, count);
}
