#include <oneapi/dnnl/dnnl.h>
#include <stddef.h>
#include <stdint.h>

/// The CPU engine and its stream, created at the first call (the caller serialises calls).
static dnnl_engine_t mkt_dnnl_engine = NULL;
static dnnl_stream_t mkt_dnnl_stream = NULL;

/// `C[m, n] (+)= A[m, k] · Bᵀ` with A and B in bf16 (raw bits, row-major; B stored [n, k] as a
/// checkpoint's weight) and C in f32, accumulated in f32 by oneDNN's matmul. With `accumulate`
/// the product is added to C's contents (a sum post-op), else C is overwritten.
/// Returns 0, or oneDNN's status (e.g. `dnnl_unimplemented` on a CPU without bf16 support).
static inline int mkt_dnnl_matmul_bf16(int64_t m, int64_t n, int64_t k, const uint16_t *a,
                                       const uint16_t *b, float *c, int accumulate) {
    dnnl_status_t s;
    if (!mkt_dnnl_engine) {
        if ((s = dnnl_engine_create(&mkt_dnnl_engine, dnnl_cpu, 0)) != dnnl_success) return s;
        if ((s = dnnl_stream_create(&mkt_dnnl_stream, mkt_dnnl_engine, dnnl_stream_default_flags)) != dnnl_success) return s;
    }
    dnnl_memory_desc_t aDesc, bDesc, cDesc;
    dnnl_dims_t aDims = {m, k}, bDims = {k, n}, cDims = {m, n};
    dnnl_memory_desc_init_by_tag(&aDesc, 2, aDims, dnnl_bf16, dnnl_ab);
    dnnl_memory_desc_init_by_tag(&bDesc, 2, bDims, dnnl_bf16, dnnl_ba);   // [n, k] row-major = Bᵀ
    dnnl_memory_desc_init_by_tag(&cDesc, 2, cDims, dnnl_f32, dnnl_ab);
    dnnl_matmul_desc_t desc;
    if ((s = dnnl_matmul_desc_init(&desc, &aDesc, &bDesc, NULL, &cDesc)) != dnnl_success) return s;
    dnnl_primitive_attr_t attr = NULL;
    dnnl_post_ops_t ops = NULL;
    dnnl_primitive_attr_create(&attr);
    if (accumulate) {
        dnnl_post_ops_create(&ops);
        dnnl_post_ops_append_sum(ops, 1.0f);
        dnnl_primitive_attr_set_post_ops(attr, ops);
    }
    dnnl_primitive_desc_t pd = NULL;
    s = dnnl_primitive_desc_create(&pd, &desc, attr, mkt_dnnl_engine, NULL);
    if (ops) dnnl_post_ops_destroy(ops);
    dnnl_primitive_attr_destroy(attr);
    if (s != dnnl_success) return s;
    dnnl_primitive_t matmul = NULL;
    s = dnnl_primitive_create(&matmul, pd);   // served from oneDNN's primitive cache after the first time
    dnnl_primitive_desc_destroy(pd);
    if (s != dnnl_success) return s;
    dnnl_memory_t aMem = NULL, bMem = NULL, cMem = NULL;
    dnnl_memory_create(&aMem, &aDesc, mkt_dnnl_engine, (void *)a);
    dnnl_memory_create(&bMem, &bDesc, mkt_dnnl_engine, (void *)b);
    dnnl_memory_create(&cMem, &cDesc, mkt_dnnl_engine, c);
    dnnl_exec_arg_t args[3] = {{DNNL_ARG_SRC, aMem}, {DNNL_ARG_WEIGHTS, bMem}, {DNNL_ARG_DST, cMem}};
    s = dnnl_primitive_execute(matmul, mkt_dnnl_stream, 3, args);
    if (s == dnnl_success) s = dnnl_stream_wait(mkt_dnnl_stream);
    dnnl_memory_destroy(aMem);
    dnnl_memory_destroy(bMem);
    dnnl_memory_destroy(cMem);
    dnnl_primitive_destroy(matmul);
    return s;
}
