// Runtime CPU dispatch: which path the CPU supports, which one is in use, and the entry points
// that forward to it.
#include "kernels_internal.h"

#include <stdatomic.h>

typedef struct gpt2_kernels_table {
    void (*quantize_rows_q8_0)(const float *, void *, int64_t, int64_t);
    void (*matmul_q8_0)(float *, int64_t, const void *, const void *, const float *, int64_t,
                        int64_t, int64_t, int64_t);
    float (*dot_f32)(const float *, const float *, int64_t);
    void (*axpy_f32)(float, const float *, float *, int64_t);
    int64_t (*argmax_f32)(const float *, int64_t);
    gpt2_softmax_values_fn softmax_values_f16;
    void (*gelu_f32)(float *, int64_t);
    void (*fp32_to_fp16_row)(const float *, uint16_t *, int64_t);
} gpt2_kernels_table;

static const gpt2_kernels_table gpt2_tables[] = {
    [GPT2_KERNELS_PORTABLE] = {gpt2_quantize_rows_q8_0_portable, gpt2_matmul_q8_0_portable,
                               gpt2_dot_f32_portable, gpt2_axpy_f32_portable, gpt2_argmax_f32_portable, gpt2_softmax_values_f16_portable,
                               gpt2_gelu_f32_portable, gpt2_fp32_to_fp16_row_portable},
#if defined(__x86_64__)
    [GPT2_KERNELS_AVX2] = {gpt2_quantize_rows_q8_0_avx2, gpt2_matmul_q8_0_avx2, gpt2_dot_f32_avx2,
                           gpt2_axpy_f32_avx2, gpt2_argmax_f32_avx2, gpt2_softmax_values_f16_avx2, gpt2_gelu_f32_avx2,
                           gpt2_fp32_to_fp16_row_avx2},
    [GPT2_KERNELS_AVX512_VNNI] = {gpt2_quantize_rows_q8_0_avx512, gpt2_matmul_q8_0_avx512,
                                  gpt2_dot_f32_avx512, gpt2_axpy_f32_avx512, gpt2_argmax_f32_avx512, gpt2_softmax_values_f16_avx512,
                                  gpt2_gelu_f32_avx512, gpt2_fp32_to_fp16_row_avx2},
#endif
};

static int gpt2_cpu_supports(gpt2_kernels_path path) {
    switch (path) {
    case GPT2_KERNELS_PORTABLE:
        return 1;
#if defined(__x86_64__)
    case GPT2_KERNELS_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    case GPT2_KERNELS_AVX512_VNNI:
        return gpt2_cpu_supports(GPT2_KERNELS_AVX2) && __builtin_cpu_supports("avx512f") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vnni");
#endif
    default:
        return 0;
    }
}

gpt2_kernels_path gpt2_kernels_resolve(gpt2_kernels_path wanted) {
    int path = (wanted <= GPT2_KERNELS_AUTO || wanted > GPT2_KERNELS_AVX512_VNNI) ? GPT2_KERNELS_AVX512_VNNI
                                                                                 : (int)wanted;
    while (path > GPT2_KERNELS_PORTABLE && !gpt2_cpu_supports((gpt2_kernels_path)path)) path--;
    return (gpt2_kernels_path)path;
}

// 0 until first use; then the resolved path.
static _Atomic int gpt2_current_path = 0;

static inline const gpt2_kernels_table *gpt2_current_table(void) {
    int path = atomic_load_explicit(&gpt2_current_path, memory_order_relaxed);
    if (path == 0) {
        // Several threads may get here at once; they all store the same value.
        path = (int)gpt2_kernels_resolve(GPT2_KERNELS_AUTO);
        int expected = 0;
        atomic_compare_exchange_strong_explicit(&gpt2_current_path, &expected, path, memory_order_relaxed,
                                                memory_order_relaxed);
        path = atomic_load_explicit(&gpt2_current_path, memory_order_relaxed);
    }
    return &gpt2_tables[path];
}

static inline const gpt2_kernels_table *gpt2_table_on(gpt2_kernels_path path) {
    return &gpt2_tables[gpt2_kernels_resolve(path)];
}

gpt2_kernels_path gpt2_kernels_select(gpt2_kernels_path wanted) {
    const gpt2_kernels_path path = gpt2_kernels_resolve(wanted);
    atomic_store_explicit(&gpt2_current_path, (int)path, memory_order_relaxed);
    return path;
}

gpt2_kernels_path gpt2_kernels_current(void) {
    return (gpt2_kernels_path)(gpt2_current_table() - gpt2_tables);
}

const char *gpt2_kernels_path_name(gpt2_kernels_path path) {
    switch (path) {
    case GPT2_KERNELS_AUTO: return "auto";
    case GPT2_KERNELS_PORTABLE: return "portable";
    case GPT2_KERNELS_AVX2: return "avx2";
    case GPT2_KERNELS_AVX512_VNNI: return "avx512-vnni";
    default: return "unknown";
    }
}

// --- Entry points ----------------------------------------------------------------------------

// Calls with nothing to sum (columns = 0) give the bias, as the reference does; the kernels
// themselves can then assume at least one block.
static int gpt2_matmul_is_trivial(float *y, int64_t y_stride, const float *bias, int64_t rows, int64_t columns,
                                  int64_t out_begin, int64_t out_end) {
    if (rows <= 0 || out_begin >= out_end) return 1;
    if (columns >= QK) return 0;
    for (int64_t r = 0; r < rows; r++) {
        for (int64_t o = out_begin; o < out_end; o++) y[r * y_stride + o] = bias ? bias[o] : 0.0f;
    }
    return 1;
}

void gpt2_quantize_rows_q8_0(const float *x, void *y, int64_t rows, int64_t columns) {
    gpt2_current_table()->quantize_rows_q8_0(x, y, rows, columns);
}

void gpt2_matmul_q8_0(float *y, int64_t y_stride, const void *w, const void *x, const float *bias,
                      int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    if (gpt2_matmul_is_trivial(y, y_stride, bias, rows, columns, out_begin, out_end)) return;
    gpt2_current_table()->matmul_q8_0(y, y_stride, w, x, bias, rows, columns, out_begin, out_end);
}

float gpt2_dot_f32(const float *a, const float *b, int64_t n) {
    return gpt2_current_table()->dot_f32(a, b, n);
}

void gpt2_axpy_f32(float alpha, const float *x, float *y, int64_t n) {
    gpt2_current_table()->axpy_f32(alpha, x, y, n);
}

int64_t gpt2_argmax_f32(const float *x, int64_t n) {
    return gpt2_current_table()->argmax_f32(x, n);
}

static void gpt2_attention_rows_in(const gpt2_kernels_table *table, int64_t rows, const gpt2_attention_query *each,
                                   const void *keys, const uint16_t *values, int64_t split, int64_t head_dim,
                                   float scale, float *scores, int64_t scores_stride) {
    gpt2_attention_rows_with(table->quantize_rows_q8_0, table->matmul_q8_0, table->softmax_values_f16, rows, each, keys,
                             values, split, head_dim, scale, scores, scores_stride);
}

void gpt2_attention_rows(int64_t rows, const gpt2_attention_query *each, const void *keys, const uint16_t *values,
                         int64_t split, int64_t head_dim, float scale, float *scores, int64_t scores_stride) {
    gpt2_attention_rows_in(gpt2_current_table(), rows, each, keys, values, split, head_dim, scale, scores, scores_stride);
}

void gpt2_gelu_f32(float *x, int64_t n) {
    gpt2_current_table()->gelu_f32(x, n);
}

void gpt2_fp32_to_fp16_row(const float *x, uint16_t *y, int64_t n) {
    gpt2_current_table()->fp32_to_fp16_row(x, y, n);
}

void gpt2_quantize_rows_q8_0_on(gpt2_kernels_path path, const float *x, void *y, int64_t rows,
                                int64_t columns) {
    gpt2_table_on(path)->quantize_rows_q8_0(x, y, rows, columns);
}

void gpt2_matmul_q8_0_on(gpt2_kernels_path path, float *y, int64_t y_stride, const void *w,
                         const void *x, const float *bias, int64_t rows, int64_t columns,
                         int64_t out_begin, int64_t out_end) {
    if (gpt2_matmul_is_trivial(y, y_stride, bias, rows, columns, out_begin, out_end)) return;
    gpt2_table_on(path)->matmul_q8_0(y, y_stride, w, x, bias, rows, columns, out_begin, out_end);
}

float gpt2_dot_f32_on(gpt2_kernels_path path, const float *a, const float *b, int64_t n) {
    return gpt2_table_on(path)->dot_f32(a, b, n);
}

void gpt2_axpy_f32_on(gpt2_kernels_path path, float alpha, const float *x, float *y, int64_t n) {
    gpt2_table_on(path)->axpy_f32(alpha, x, y, n);
}

int64_t gpt2_argmax_f32_on(gpt2_kernels_path path, const float *x, int64_t n) {
    return gpt2_table_on(path)->argmax_f32(x, n);
}

void gpt2_attention_rows_on(gpt2_kernels_path path, int64_t rows, const gpt2_attention_query *each,
                            const void *keys, const uint16_t *values, int64_t split, int64_t head_dim, float scale,
                            float *scores, int64_t scores_stride) {
    gpt2_attention_rows_in(gpt2_table_on(path), rows, each, keys, values, split, head_dim, scale, scores, scores_stride);
}

void gpt2_gelu_f32_on(gpt2_kernels_path path, float *x, int64_t n) {
    gpt2_table_on(path)->gelu_f32(x, n);
}

void gpt2_fp32_to_fp16_row_on(gpt2_kernels_path path, const float *x, uint16_t *y, int64_t n) {
    gpt2_table_on(path)->fp32_to_fp16_row(x, y, n);
}
