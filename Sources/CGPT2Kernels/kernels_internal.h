// Shared by the kernel files; not part of the public interface.
#ifndef CGPT2_KERNELS_INTERNAL_H
#define CGPT2_KERNELS_INTERNAL_H

#include "CGPT2Kernels.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define QK GPT2_Q8_0_BLOCK_VALUES
#define QB GPT2_Q8_0_BLOCK_BYTES

// Little-endian loads that need no alignment (blocks are 34 bytes, so they never are aligned).
static inline uint16_t gpt2_load_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t gpt2_float_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float gpt2_bits_float(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

// Exact widening of an IEEE binary16 bit pattern.
static inline float gpt2_half_to_float(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1F;
    const uint32_t mantissa = h & 0x3FF;
    if (exponent == 0x1F) return gpt2_bits_float(sign | 0x7F800000u | (mantissa << 13));
    if (exponent != 0) return gpt2_bits_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
    const float magnitude = (float)mantissa * 0x1p-24f; // zero or subnormal, exact
    return sign ? -magnitude : magnitude;
}

// fp32 → binary16, rounding to nearest even, in integer arithmetic only (so it gives the same
// bits as F16C's vcvtps2ph with rounding mode 0 on every platform).
static inline uint16_t gpt2_float_to_half(float f) {
    const uint32_t x = gpt2_float_bits(f);
    const uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    const uint32_t ax = x & 0x7FFFFFFFu;
    if (ax >= 0x7F800000u) { // infinity, or NaN made quiet with the top of its payload
        return (uint16_t)(sign | (ax > 0x7F800000u ? 0x7E00u | ((ax >> 13) & 0x3FFu) : 0x7C00u));
    }
    if (ax >= 0x477FF000u) return (uint16_t)(sign | 0x7C00u); // ≥ 65520 rounds to infinity
    if (ax >= 0x38800000u) { // normal half: rebias the exponent (127 → 15), round 13 bits away
        uint32_t r = ax - 0x38000000u;
        r += 0xFFFu + ((r >> 13) & 1u);
        return (uint16_t)(sign | (r >> 13));
    }
    const uint32_t e = ax >> 23;
    if (e < 102) return sign; // below 2^-25: rounds to zero
    // Subnormal half: value = m × 2^(e-150) = (m >> (126-e)) units of 2^-24, rounded to even.
    const uint32_t m = (ax & 0x7FFFFFu) | 0x800000u;
    const uint32_t shift = 126 - e; // 14 ... 24
    uint32_t q = m >> shift;
    const uint32_t rest = m & ((1u << shift) - 1);
    const uint32_t half = 1u << (shift - 1);
    if (rest > half || (rest == half && (q & 1u))) q += 1;
    return (uint16_t)(sign | q);
}

// A Q8_0 block's scale from its largest magnitude: writes d = amax / 127 as fp16 at block[0..1]
// and returns 1 / d (0 for a block of zeros), the factor its values are multiplied by.
static inline float gpt2_q8_0_store_scale(uint8_t *block, float amax) {
    const float d = amax / 127.0f;
    const uint16_t h = gpt2_float_to_half(d);
    block[0] = (uint8_t)(h & 0xFF);
    block[1] = (uint8_t)(h >> 8);
    return d != 0 ? 1.0f / d : 0.0f;
}

// round() of a value of magnitude below 2^23: nearest, halves away from zero (roundf), but
// written so that NaN gives 0 rather than undefined behaviour when converted to an integer.
static inline int8_t gpt2_round_to_int8(float v) {
    if (!(v > -127.5f)) return v != v ? 0 : -127; // NaN, or below the range
    if (!(v < 127.5f)) return 127;
    const float t = (float)(int32_t)v; // truncation, exact here
    const float rest = v - t;          // exact
    int32_t q = (int32_t)t;
    if (rest >= 0.5f) q += 1;
    if (rest <= -0.5f) q -= 1;
    return (int8_t)q;
}

// Splits `blocks` into near-equal chunks of at most `limit` blocks; returns the chunk length.
static inline int64_t gpt2_balanced_chunk(int64_t blocks, int64_t limit) {
    if (blocks <= limit) return blocks;
    const int64_t chunks = (blocks + limit - 1) / limit;
    return (blocks + chunks - 1) / chunks;
}

// --- exp, tanh and GELU: constants shared by every path ----------------------------------------
//
// exp(x) = 2^n × e^r with n = round(x / ln 2), r = x − n ln 2 (|r| ≤ ln 2 / 2), and
// e^r ≈ 1 + r + r² (E0 + E1 r + E2 r² + E3 r³ + E4 r⁴), a relative minimax fit (3e-9 before
// rounding). In fp32, ln 2 is split in two so that r keeps its low bits; 2^n is applied in two
// halves (or with vscalefps) so that overflow gives infinity and underflow is gradual.
//
// GELU (GPT-2's tanh form) as 0.5 x (1 + tanh u), u = √(2/π) (x + 0.044715 x³):
//  - u, and for |u| ≥ GPT2_TANH_SPLIT the reduction of 2|u| for exp, are computed in fp64 (a few
//    extra operations per vector), because e^(2|u|) magnifies u's relative rounding error by
//    2|u| (up to ~90): in fp32 that alone costs up to ~200 ulp of the result near x = −10;
//  - |u| < GPT2_TANH_SPLIT: tanh a = a + a³ P(a²), P of degree 4 (relative minimax, 4e-9);
//  - |u| ≥ GPT2_TANH_SPLIT: tanh a = 1 − q with q = 2 / (e^(2a) + 1); for u < 0 the factor
//    1 + tanh u is then q itself, computed without the cancellation of 1 + (−1 + q).
// Measured against fp64 over every float of the range: exp within 1.02 ulp ([−103, 88.7]), tanh
// within 1.34 ulp ([0, 10]), the GELU within 2.85 ulp of the formula ([−10, 10]).
// GELU(+∞) = +∞, GELU(−∞) = −0 (the limit), NaN stays NaN.
#define GPT2_EXP_LOG2E 1.44269504088896341
#define GPT2_EXP_LN2 0.693147180559945309
#define GPT2_EXP_LN2_HI 0.693145752f      // 0x3F317200: n × LN2_HI is exact for |n| < 2^11
#define GPT2_EXP_LN2_LO 1.42860677e-06f
#define GPT2_EXP_E0 4.999999404e-01f
#define GPT2_EXP_E1 1.666652113e-01f
#define GPT2_EXP_E2 4.166838899e-02f
#define GPT2_EXP_E3 8.368710056e-03f
#define GPT2_EXP_E4 1.381461159e-03f
#define GPT2_EXP_MIN (-104.0f)            // e^-104 < half the smallest subnormal: 0
#define GPT2_EXP_MAX 89.0f                // e^89 > FLT_MAX: infinity
#define GPT2_TANH_SPLIT 0.625f
#define GPT2_TANH_P0 (-0.3333328068256378f)
#define GPT2_TANH_P1 0.13331441581249237f
#define GPT2_TANH_P2 (-0.05373971536755562f)
#define GPT2_TANH_P3 0.02063908986747265f
#define GPT2_TANH_P4 (-0.005704990588128567f)
#define GPT2_GELU_K0 0.7978845608028654    // √(2/π)
#define GPT2_GELU_K1 0.035677408136300125  // √(2/π) × 0.044715

// 2^n for an integer n in [-126, 127] (a normal float).
static inline float gpt2_pow2i(int32_t n) { return gpt2_bits_float((uint32_t)(n + 127) << 23); }

// e^r − 1 − r over r², then e^r (|r| ≤ ln 2 / 2).
static inline float gpt2_exp_reduced(float r) {
    float p = GPT2_EXP_E4;
    p = __builtin_fmaf(p, r, GPT2_EXP_E3);
    p = __builtin_fmaf(p, r, GPT2_EXP_E2);
    p = __builtin_fmaf(p, r, GPT2_EXP_E1);
    p = __builtin_fmaf(p, r, GPT2_EXP_E0);
    return __builtin_fmaf(p, r * r, r) + 1.0f;
}

// e^x in fp32 within 1.02 ulp (the vector paths compute the same steps).
static inline float gpt2_exp_approx(float x) {
    if (x != x) return x;
    x = x < GPT2_EXP_MIN ? GPT2_EXP_MIN : (x > GPT2_EXP_MAX ? GPT2_EXP_MAX : x);
    // Round to nearest by adding and removing 1.5 × 2^23 (|x log2 e| < 2^22).
    const float n = (x * (float)GPT2_EXP_LOG2E + 12582912.0f) - 12582912.0f;
    float r = __builtin_fmaf(n, -GPT2_EXP_LN2_HI, x);
    r = __builtin_fmaf(n, -GPT2_EXP_LN2_LO, r);
    const int32_t ni = (int32_t)n, half = ni >> 1; // ni in [-150, 129]
    return gpt2_exp_reduced(r) * gpt2_pow2i(half) * gpt2_pow2i(ni - half);
}

// GELU of one value, as the vector paths compute it (see above).
static inline float gpt2_gelu_approx(float x) {
    const double xd = x;
    const double u = xd * (GPT2_GELU_K0 + GPT2_GELU_K1 * xd * xd);
    const double au = u < 0 ? -u : u;
    const float a = (float)au;
    float factor; // 1 + tanh u
    if (a < GPT2_TANH_SPLIT) {
        const float s = a * a;
        float p = GPT2_TANH_P4;
        p = __builtin_fmaf(p, s, GPT2_TANH_P3);
        p = __builtin_fmaf(p, s, GPT2_TANH_P2);
        p = __builtin_fmaf(p, s, GPT2_TANH_P1);
        p = __builtin_fmaf(p, s, GPT2_TANH_P0);
        const float t = __builtin_fmaf(a * s, p, a);
        factor = u < 0 ? 1.0f - t : 1.0f + t;
    } else {
        // e^(2a) with the reduction in fp64; 2a is clamped (NaN passes) where e^(2a) is infinite.
        const double a2 = 2 * au > (double)GPT2_EXP_MAX ? (double)GPT2_EXP_MAX : 2 * au;
        const double n = (a2 * GPT2_EXP_LOG2E + 6755399441055744.0) - 6755399441055744.0;
        const int32_t ni = a2 == a2 ? (int32_t)n : 0, half = ni >> 1;
        const float e = gpt2_exp_reduced((float)(a2 - n * GPT2_EXP_LN2)) * gpt2_pow2i(half) * gpt2_pow2i(ni - half);
        const float q = 2.0f / (e + 1.0f);
        factor = u < 0 ? q : 2.0f - q;
    }
    if (x == -__builtin_inff()) return -0.0f;
    return 0.5f * x * factor;
}

// Row t of a value operand in two parts (see gpt2_attention_rows): rows [0, split) at `first`,
// the others at `rest`.
static inline const uint16_t *gpt2_attention_row(const uint16_t *first, const uint16_t *rest, int64_t split,
                                                 int64_t stride, int64_t t) {
    return t < split ? first + t * stride : rest + (t - split) * stride;
}

// One Q8_0 row (columns / 32 blocks; NULL for zeros) into row `row` of tiles, and back.
void gpt2_tile_put_row_q8_0(void *tiles, int64_t row, const void *in, int64_t columns);
void gpt2_tile_get_row_q8_0(const void *tiles, int64_t row, void *out, int64_t columns);

typedef void (*gpt2_quantize_fn)(const float *, void *, int64_t, int64_t);
typedef void (*gpt2_matmul_fn)(float *, int64_t, const void *, const void *, const float *, int64_t, int64_t,
                               int64_t, int64_t);
// The second half of gpt2_attention_rows, once every row's dot products are in its scores:
// softmax (with `scale`) and the weighted sum of the values.
typedef void (*gpt2_softmax_values_fn)(int64_t rows, const gpt2_attention_query *each, const uint16_t *values,
                                       int64_t split, int64_t head_dim, float scale, float *scores,
                                       int64_t scores_stride);

// gpt2_attention_rows on one path's kernels.
void gpt2_attention_rows_with(gpt2_quantize_fn quantize, gpt2_matmul_fn matmul, gpt2_softmax_values_fn softmax_values,
                              int64_t rows, const gpt2_attention_query *each, const void *keys, const uint16_t *values,
                              int64_t split, int64_t head_dim, float scale, float *scores, int64_t scores_stride);

// --- Path implementations (each file defines its own; x86 ones only on x86-64) ---------------

void gpt2_quantize_rows_q8_0_portable(const float *x, void *y, int64_t rows, int64_t columns);
void gpt2_matmul_q8_0_portable(float *y, int64_t y_stride, const void *w, const void *x,
                               const float *bias, int64_t rows, int64_t columns, int64_t out_begin,
                               int64_t out_end);
float gpt2_dot_f32_portable(const float *a, const float *b, int64_t n);
void gpt2_axpy_f32_portable(float alpha, const float *x, float *y, int64_t n);
int64_t gpt2_argmax_f32_portable(const float *x, int64_t n);
void gpt2_softmax_values_f16_portable(int64_t rows, const gpt2_attention_query *each, const uint16_t *values,
                                      int64_t split, int64_t head_dim, float scale, float *scores,
                                      int64_t scores_stride);
void gpt2_gelu_f32_portable(float *x, int64_t n);
void gpt2_fp32_to_fp16_row_portable(const float *x, uint16_t *y, int64_t n);

#if defined(__x86_64__)
void gpt2_quantize_rows_q8_0_avx2(const float *x, void *y, int64_t rows, int64_t columns);
void gpt2_matmul_q8_0_avx2(float *y, int64_t y_stride, const void *w, const void *x,
                           const float *bias, int64_t rows, int64_t columns, int64_t out_begin,
                           int64_t out_end);
float gpt2_dot_f32_avx2(const float *a, const float *b, int64_t n);
void gpt2_axpy_f32_avx2(float alpha, const float *x, float *y, int64_t n);
int64_t gpt2_argmax_f32_avx2(const float *x, int64_t n);
void gpt2_softmax_values_f16_avx2(int64_t rows, const gpt2_attention_query *each, const uint16_t *values,
                                  int64_t split, int64_t head_dim, float scale, float *scores, int64_t scores_stride);
void gpt2_gelu_f32_avx2(float *x, int64_t n);
void gpt2_fp32_to_fp16_row_avx2(const float *x, uint16_t *y, int64_t n);

void gpt2_quantize_rows_q8_0_avx512(const float *x, void *y, int64_t rows, int64_t columns);
void gpt2_matmul_q8_0_avx512(float *y, int64_t y_stride, const void *w, const void *x,
                             const float *bias, int64_t rows, int64_t columns, int64_t out_begin,
                             int64_t out_end);
float gpt2_dot_f32_avx512(const float *a, const float *b, int64_t n);
void gpt2_axpy_f32_avx512(float alpha, const float *x, float *y, int64_t n);
int64_t gpt2_argmax_f32_avx512(const float *x, int64_t n);
void gpt2_softmax_values_f16_avx512(int64_t rows, const gpt2_attention_query *each, const uint16_t *values,
                                    int64_t split, int64_t head_dim, float scale, float *scores,
                                    int64_t scores_stride);
void gpt2_gelu_f32_avx512(float *x, int64_t n);
#endif

#endif
