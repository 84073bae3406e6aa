#ifndef CVECTORKERNELS_H
#define CVECTORKERNELS_H

/// Row kernels of the forward pass (softmax, QuickGELU), compiled twice: for AVX2 and for the
/// baseline instruction set, chosen once by the CPU's features. Both compute the same bits, and
/// the same bits as `VectorMath.exp` (Swift): the same Cephes `exp`, in the same operation order,
/// without fused multiply-adds, summed over 16 lanes in order.

/// `p[i] = exp(p[i] − shift)` for `i < count`; returns the sum of the results (16 lane sums,
/// added lane 0 to 15).
float mkt_exp_shifted_sum(float *p, long count, float shift);

/// `dst[i] = x · σ(1.702 · x)` with `x = src[i]`, for `i < count` (`src` may equal `dst`).
void mkt_quick_gelu(const float *src, float *dst, long count);

/// 1 when the AVX2 variants run, 0 for the baseline ones.
int mkt_vector_kernels_avx2(void);

/// With `on` ≠ 0 the baseline variants run even on an AVX2 CPU (tests compare the two).
void mkt_vector_kernels_use_baseline(int on);

#endif
