// The AVX2 path (with FMA and F16C): the activation quantizer, the int8 matmul on tiled
// weights with vpmaddubsw + vpmaddwd, and the fp32 helpers. Compiled for any x86-64; the
// instructions are enabled per function, and dispatch only calls them on CPUs that have them.
#include "kernels_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define GPT2_TARGET_AVX2 __attribute__((target("avx2,fma,f16c")))
#define GPT2_INLINE static inline __attribute__((always_inline))

GPT2_INLINE GPT2_TARGET_AVX2 float gpt2_hsum_avx2(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

GPT2_INLINE GPT2_TARGET_AVX2 __m256i gpt2_loadu_256(const uint8_t *p) {
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

// --- Quantization ----------------------------------------------------------------------------

// The rounding of gpt2_round_to_int8 on 8 lanes: NaN → 0, halves away from zero, then clamped
// to [-127, 127].
GPT2_INLINE GPT2_TARGET_AVX2 __m256i gpt2_round_to_int32_avx2(__m256 v) {
    v = _mm256_and_ps(v, _mm256_cmp_ps(v, v, _CMP_ORD_Q));
    const __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 rest = _mm256_sub_ps(v, t);
    const __m256 one = _mm256_set1_ps(1.0f);
    const __m256 up = _mm256_and_ps(_mm256_cmp_ps(rest, _mm256_set1_ps(0.5f), _CMP_GE_OQ), one);
    const __m256 down = _mm256_and_ps(_mm256_cmp_ps(rest, _mm256_set1_ps(-0.5f), _CMP_LE_OQ), one);
    __m256 q = _mm256_sub_ps(_mm256_add_ps(t, up), down);
    q = _mm256_min_ps(_mm256_max_ps(q, _mm256_set1_ps(-127.0f)), _mm256_set1_ps(127.0f));
    return _mm256_cvttps_epi32(q);
}

GPT2_TARGET_AVX2
void gpt2_quantize_rows_q8_0_avx2(const float *x, void *y, int64_t rows, int64_t columns) {
    const int64_t blocks = rows * (columns / QK);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    uint8_t *out = y;
    for (int64_t b = 0; b < blocks; b++) {
        const float *v = x + b * QK;
        uint8_t *block = out + b * QB;
        __m256 lanes[4];
        __m256 amax = _mm256_setzero_ps();
        for (int k = 0; k < 4; k++) {
            lanes[k] = _mm256_loadu_ps(v + 8 * k);
            // max(new, old) keeps old when new is NaN, as the reference's comparison does.
            amax = _mm256_max_ps(_mm256_andnot_ps(sign, lanes[k]), amax);
        }
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(amax), _mm256_extractf128_ps(amax, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_movehdup_ps(m));
        const __m256 scale = _mm256_set1_ps(gpt2_q8_0_store_scale(block, _mm_cvtss_f32(m)));
        __m256i q[4];
        for (int k = 0; k < 4; k++) q[k] = gpt2_round_to_int32_avx2(_mm256_mul_ps(lanes[k], scale));
        // int32 → int8: the packs interleave 128-bit lanes, the permutation puts them back.
        const __m256i q16a = _mm256_packs_epi32(q[0], q[1]);
        const __m256i q16b = _mm256_packs_epi32(q[2], q[3]);
        const __m256i q8 = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(q16a, q16b),
                                                       _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)(void *)(block + 2), q8);
    }
}

// --- Matmul ----------------------------------------------------------------------------------

// Weights in tiles of 16 rows (CGPT2Kernels.h): each 64-byte group of a tile block is two ymm,
// rows 0–7 and rows 8–15, four values of one row per int32 lane. Rows of activations go a few at
// a time (their sums and accumulators fill the 16 registers), over chunks of blocks that stay in
// L1 while every group of rows uses them.
enum {
    GPT2_AVX2_ROW_GROUP = 3,
    GPT2_AVX2_CHUNK_BLOCKS = 64,
    GPT2_AVX2_SCALES = 4096, // activation scales per call: (rows, blocks) of a chunk
};

// R activation rows × one half (8 rows) of a tile over `kc` blocks; adds to y (or to the bias
// on the first chunk) in lanes [lo, hi). Per dword: vpsignb moves the weight's sign onto the
// activation, vpmaddubsw multiplies |w| (unsigned) by it into int16 pairs (|w| ≤ 128 and
// |x| ≤ 127 keep the pair sums below 2^15), vpmaddwd sums them into int32 lanes.
GPT2_INLINE GPT2_TARGET_AVX2 void gpt2_avx2_half_tile(const int R, const uint8_t *tile, int half, int64_t kc,
                                                       const uint8_t *x, int64_t row_bytes, const float *dx,
                                                       float *y, int64_t y_stride, const float *bias, int64_t lo,
                                                       int64_t hi, int first) {
    const __m256i ones = _mm256_set1_epi16(1);
    const __m256i offset = _mm256_set1_epi8((char)0x80);
    __m256 acc[GPT2_AVX2_ROW_GROUP];
    for (int r = 0; r < R; r++) acc[r] = _mm256_setzero_ps();
    for (int64_t b = 0; b < kc; b++) {
        const uint8_t *block = tile + b * GPT2_Q8_0_TILE_BLOCK_BYTES;
        const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)(block + 16 * half)));
        __m256i sums[GPT2_AVX2_ROW_GROUP];
        for (int r = 0; r < R; r++) sums[r] = _mm256_setzero_si256();
        for (int k = 0; k < 8; k++) {
            const __m256i wv = _mm256_xor_si256(gpt2_loadu_256(block + 32 + 64 * k + 32 * half), offset); // signed
            const __m256i aw = _mm256_abs_epi8(wv);
            for (int r = 0; r < R; r++) {
                int32_t xk;
                memcpy(&xk, x + r * row_bytes + b * QB + 2 + 4 * k, sizeof xk);
                const __m256i p16 = _mm256_maddubs_epi16(aw, _mm256_sign_epi8(_mm256_set1_epi32(xk), wv));
                sums[r] = _mm256_add_epi32(sums[r], _mm256_madd_epi16(p16, ones));
            }
        }
        for (int r = 0; r < R; r++) {
            acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums[r]), _mm256_mul_ps(dw, _mm256_set1_ps(dx[r * kc + b])), acc[r]);
        }
    }
    for (int r = 0; r < R; r++) {
        float lanes[8];
        _mm256_storeu_ps(lanes, acc[r]);
        float *out = y + r * y_stride;
        for (int64_t j = lo; j < hi; j++) {
            const float base = first ? (bias ? bias[j] : 0.0f) : out[j];
            out[j] = base + lanes[j];
        }
    }
}

GPT2_TARGET_AVX2
void gpt2_matmul_q8_0_avx2(float *y, int64_t y_stride, const void *w, const void *x, const float *bias,
                           int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    enum { G = GPT2_AVX2_ROW_GROUP, T = GPT2_Q8_0_TILE_ROWS };
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    const int64_t tile_bytes = nb * GPT2_Q8_0_TILE_BLOCK_BYTES;
    const int64_t kc_max = gpt2_balanced_chunk(nb, rows <= G ? GPT2_AVX2_SCALES / G : GPT2_AVX2_CHUNK_BLOCKS);
    const int64_t rc_max = GPT2_AVX2_SCALES / kc_max;
    float dx[GPT2_AVX2_SCALES];
    for (int64_t r0 = 0; r0 < rows; r0 += rc_max) {
        const int64_t rc = rows - r0 < rc_max ? rows - r0 : rc_max;
        for (int64_t b0 = 0; b0 < nb; b0 += kc_max) {
            const int64_t kc = nb - b0 < kc_max ? nb - b0 : kc_max;
            const uint8_t *xc = (const uint8_t *)x + r0 * row_bytes + b0 * QB;
            for (int64_t r = 0; r < rc; r++) {
                for (int64_t b = 0; b < kc; b++) dx[r * kc + b] = _cvtsh_ss(gpt2_load_u16(xc + r * row_bytes + b * QB));
            }
            const int first = b0 == 0;
            for (int64_t o0 = out_begin / T * T; o0 < out_end; o0 += T) {
                const uint8_t *tile = (const uint8_t *)w + o0 / T * tile_bytes + b0 * GPT2_Q8_0_TILE_BLOCK_BYTES;
                for (int half = 0; half < 2; half++) {
                    const int64_t h0 = o0 + 8 * half;
                    const int64_t lo = out_begin > h0 ? out_begin - h0 : 0;
                    const int64_t hi = out_end - h0 < 8 ? out_end - h0 : 8;
                    if (lo >= hi) continue;
                    const float *bh = bias ? bias + h0 : NULL;
                    float *yh = y + r0 * y_stride + h0;
                    int64_t r = 0;
                    for (; r + G <= rc; r += G) {
                        gpt2_avx2_half_tile(G, tile, half, kc, xc + r * row_bytes, row_bytes, dx + r * kc, yh + r * y_stride, y_stride, bh, lo, hi, first);
                    }
                    switch (rc - r) {
                    case 1: gpt2_avx2_half_tile(1, tile, half, kc, xc + r * row_bytes, row_bytes, dx + r * kc, yh + r * y_stride, y_stride, bh, lo, hi, first); break;
                    case 2: gpt2_avx2_half_tile(2, tile, half, kc, xc + r * row_bytes, row_bytes, dx + r * kc, yh + r * y_stride, y_stride, bh, lo, hi, first); break;
                    default: break;
                    }
                }
            }
        }
    }
}

// --- fp32 helpers ----------------------------------------------------------------------------

GPT2_TARGET_AVX2
float gpt2_dot_f32_avx2(const float *a, const float *b, int64_t n) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (int k = 0; k < 4; k++) {
            acc[k] = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8 * k), _mm256_loadu_ps(b + i + 8 * k), acc[k]);
        }
    }
    for (; i + 8 <= n; i += 8) acc[0] = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc[0]);
    float sum = gpt2_hsum_avx2(_mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3])));
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

GPT2_TARGET_AVX2
void gpt2_axpy_f32_avx2(float alpha, const float *x, float *y, int64_t n) {
    const __m256 a = _mm256_set1_ps(alpha);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_fmadd_ps(a, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; i++) y[i] = __builtin_fmaf(alpha, x[i], y[i]);
}

// --- exp ---------------------------------------------------------------------------------------

// e^r for |r| ≤ ln 2 / 2 (kernels_internal.h).
GPT2_INLINE GPT2_TARGET_AVX2 __m256 gpt2_exp_poly_avx2(__m256 r) {
    __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(GPT2_EXP_E4), r, _mm256_set1_ps(GPT2_EXP_E3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(GPT2_EXP_E2));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(GPT2_EXP_E1));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(GPT2_EXP_E0));
    return _mm256_add_ps(_mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
}

// p × 2^n for integer n in [-252, 254] (lanes of n as int32): two normal powers of two, so that
// overflow gives infinity and underflow is gradual (rounded once).
GPT2_INLINE GPT2_TARGET_AVX2 __m256 gpt2_scale_pow2_avx2(__m256 p, __m256i n) {
    const __m256i half = _mm256_srai_epi32(n, 1);
    const __m256i bias = _mm256_set1_epi32(127);
    const __m256 first = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
    const __m256 second = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(_mm256_sub_epi32(n, half), bias), 23));
    return _mm256_mul_ps(_mm256_mul_ps(p, first), second);
}

// e^x on 8 lanes, as gpt2_exp_approx.
GPT2_INLINE GPT2_TARGET_AVX2 __m256 gpt2_exp_avx2(__m256 x) {
    const __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(GPT2_EXP_MIN)), _mm256_set1_ps(GPT2_EXP_MAX));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps((float)GPT2_EXP_LOG2E)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fmadd_ps(n, _mm256_set1_ps(-GPT2_EXP_LN2_HI), x);
    r = _mm256_fmadd_ps(n, _mm256_set1_ps(-GPT2_EXP_LN2_LO), r);
    const __m256 e = gpt2_scale_pow2_avx2(gpt2_exp_poly_avx2(r), _mm256_cvtps_epi32(n));
    return _mm256_blendv_ps(e, _mm256_set1_ps(__builtin_nanf("")), nan);
}

// As gpt2_argmax_f32_avx512, 8 lanes at a time.
GPT2_TARGET_AVX2
int64_t gpt2_argmax_f32_avx2(const float *x, int64_t n) {
    if (n <= 0 || x[0] != x[0]) return 0;
    __m256 m[4] = {_mm256_set1_ps(x[0]), _mm256_set1_ps(x[0]), _mm256_set1_ps(x[0]), _mm256_set1_ps(x[0])};
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (int k = 0; k < 4; k++) m[k] = _mm256_max_ps(_mm256_loadu_ps(x + i + 8 * k), m[k]);
    }
    float top = x[0];
    for (; i < n; i++) top = x[i] > top ? x[i] : top;
    const __m256 m8 = _mm256_max_ps(_mm256_max_ps(m[0], m[1]), _mm256_max_ps(m[2], m[3]));
    __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m8), _mm256_extractf128_ps(m8, 1));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    if (_mm_cvtss_f32(m4) > top) top = _mm_cvtss_f32(m4);
    const __m256 wanted = _mm256_set1_ps(top);
    for (i = 0; i + 8 <= n; i += 8) {
        const int hit = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(x + i), wanted, _CMP_EQ_OQ));
        if (hit) return i + __builtin_ctz((unsigned)hit);
    }
    for (; i < n; i++) {
        if (x[i] == top) return i;
    }
    return 0;
}

// --- Attention: softmax and values ------------------------------------------------------------

// Head dimensions per pass: the output in at most 4 ymm registers (twice that for the even and
// odd accumulators; AVX2 has 16 registers).
enum { GPT2_ATTENTION_CHUNK_AVX2 = 32 };

// Lanes [0, count) set, for vmaskmovps (count in [0, 8]).
GPT2_INLINE GPT2_TARGET_AVX2 __m256i gpt2_lane_mask_avx2(int64_t count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// `count` (1 ... 8) fp16 values at p, widened; lanes beyond them are 0.
GPT2_INLINE GPT2_TARGET_AVX2 __m256 gpt2_load_halves_avx2(const uint16_t *p, int64_t count) {
    if (count == 8) return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)p));
    uint16_t lanes[8] = {0};
    memcpy(lanes, p, (size_t)count * sizeof *p);
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(const void *)lanes));
}

// Vector v of NV over one chunk of fp16 dimensions at p, widened; `tail` is the length of the
// last vector.
#define GPT2_LOAD_HALF_CHUNK(NV, v, tail, p) gpt2_load_halves_avx2((p) + 8 * (v), (v) == (NV) - 1 ? (tail) : 8)

GPT2_INLINE GPT2_TARGET_AVX2 void gpt2_attention_values_avx2(const int NV, const uint16_t *values,
                                                             const uint16_t *values_rest, int64_t split, int64_t stride,
                                                             int64_t positions, __m256i last, int64_t tail,
                                                             const float *scores, float *out) {
    __m256 even[4], odd[4];
    for (int v = 0; v < NV; v++) even[v] = odd[v] = _mm256_setzero_ps();
    int64_t t = 0;
    for (; t + 2 <= positions; t += 2) {
        const uint16_t *v0 = gpt2_attention_row(values, values_rest, split, stride, t);
        const uint16_t *v1 = gpt2_attention_row(values, values_rest, split, stride, t + 1);
        const __m256 p0 = _mm256_set1_ps(scores[t]), p1 = _mm256_set1_ps(scores[t + 1]);
        for (int v = 0; v < NV; v++) {
            even[v] = _mm256_fmadd_ps(p0, GPT2_LOAD_HALF_CHUNK(NV, v, tail, v0), even[v]);
            odd[v] = _mm256_fmadd_ps(p1, GPT2_LOAD_HALF_CHUNK(NV, v, tail, v1), odd[v]);
        }
    }
    if (t < positions) {
        const uint16_t *v0 = gpt2_attention_row(values, values_rest, split, stride, t);
        const __m256 p0 = _mm256_set1_ps(scores[t]);
        for (int v = 0; v < NV; v++) even[v] = _mm256_fmadd_ps(p0, GPT2_LOAD_HALF_CHUNK(NV, v, tail, v0), even[v]);
    }
    for (int v = 0; v < NV - 1; v++) _mm256_storeu_ps(out + 8 * v, _mm256_add_ps(even[v], odd[v]));
    _mm256_maskstore_ps(out + 8 * (NV - 1), last, _mm256_add_ps(even[NV - 1], odd[NV - 1]));
}

#define GPT2_CHUNK_SWITCH(nv, call) \
    switch (nv) {                   \
    case 1: call(1); break;         \
    case 2: call(2); break;         \
    case 3: call(3); break;         \
    default: call(4); break;        \
    }

// Scale, maximum, exponentials and their sum, normalization of `positions` scores, 8 at a time.
GPT2_INLINE GPT2_TARGET_AVX2 void gpt2_attention_softmax_avx2(float *scores, int64_t positions, float scale) {
    const __m256 scale8 = _mm256_set1_ps(scale);
    const __m256 lowest = _mm256_set1_ps(-__builtin_inff());
    __m256 maximum = lowest;
    int64_t t = 0;
    for (; t + 8 <= positions; t += 8) {
        const __m256 s = _mm256_mul_ps(_mm256_loadu_ps(scores + t), scale8);
        _mm256_storeu_ps(scores + t, s);
        maximum = _mm256_max_ps(s, maximum);
    }
    const __m256i tail = gpt2_lane_mask_avx2(positions - t);
    if (t < positions) {
        const __m256 s = _mm256_mul_ps(_mm256_maskload_ps(scores + t, tail), scale8);
        _mm256_maskstore_ps(scores + t, tail, s);
        maximum = _mm256_max_ps(_mm256_blendv_ps(lowest, s, _mm256_castsi256_ps(tail)), maximum);
    }
    __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(maximum), _mm256_extractf128_ps(maximum, 1));
    m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
    m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
    const __m256 top = _mm256_set1_ps(_mm_cvtss_f32(m4));
    __m256 sum = _mm256_setzero_ps();
    for (t = 0; t + 8 <= positions; t += 8) {
        const __m256 e = gpt2_exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(scores + t), top));
        _mm256_storeu_ps(scores + t, e);
        sum = _mm256_add_ps(sum, e);
    }
    if (t < positions) {
        const __m256 e = gpt2_exp_avx2(_mm256_sub_ps(_mm256_maskload_ps(scores + t, tail), top));
        _mm256_maskstore_ps(scores + t, tail, e);
        sum = _mm256_add_ps(sum, _mm256_and_ps(e, _mm256_castsi256_ps(tail)));
    }
    const __m256 inverse = _mm256_set1_ps(1.0f / gpt2_hsum_avx2(sum));
    for (t = 0; t + 8 <= positions; t += 8) _mm256_storeu_ps(scores + t, _mm256_mul_ps(_mm256_loadu_ps(scores + t), inverse));
    if (t < positions) _mm256_maskstore_ps(scores + t, tail, _mm256_mul_ps(_mm256_maskload_ps(scores + t, tail), inverse));
}

GPT2_TARGET_AVX2
void gpt2_softmax_values_f16_avx2(int64_t rows, const gpt2_attention_query *each, const uint16_t *values,
                                  int64_t split, int64_t head_dim, float scale, float *scores, int64_t scores_stride) {
    for (int64_t r = 0; r < rows; r++) {
        const int64_t positions = each[r].positions;
        float *s = scores + r * scores_stride, *out = each[r].out;
        for (int64_t i = 0; i < head_dim; i++) out[i] = 0;
        if (positions <= 0) continue;
        gpt2_attention_softmax_avx2(s, positions, scale);
        for (int64_t c = 0; c < head_dim; c += GPT2_ATTENTION_CHUNK_AVX2) {
            const int64_t width = head_dim - c < GPT2_ATTENTION_CHUNK_AVX2 ? head_dim - c : GPT2_ATTENTION_CHUNK_AVX2;
            const int nv = (int)((width + 7) / 8);
            const int64_t tail = width - 8 * (nv - 1);
            const __m256i last = gpt2_lane_mask_avx2(tail);
#define GPT2_VALUES(NV) \
    gpt2_attention_values_avx2(NV, values + c, each[r].values_rest + c, split, head_dim, positions, last, tail, s, out + c)
            GPT2_CHUNK_SWITCH(nv, GPT2_VALUES)
#undef GPT2_VALUES
        }
    }
}

#undef GPT2_CHUNK_SWITCH
#undef GPT2_LOAD_HALF_CHUNK

// --- fp16 ---------------------------------------------------------------------------------------

// F16C's vcvtps2ph with rounding to nearest even gives gpt2_float_to_half's bits.
GPT2_TARGET_AVX2
void gpt2_fp32_to_fp16_row_avx2(const float *x, uint16_t *y, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        _mm_storeu_si128((__m128i *)(void *)(y + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    }
    for (; i < n; i++) y[i] = gpt2_float_to_half(x[i]);
}

// --- GELU --------------------------------------------------------------------------------------

// GELU of 8 values, the steps of gpt2_gelu_approx (kernels_internal.h).
GPT2_INLINE GPT2_TARGET_AVX2 __m256 gpt2_gelu_avx2(__m256 x) {
    // u = √(2/π) (x + 0.044715 x³), |u|, and the reduction of 2|u| for e^(2|u|), in fp64.
    const __m256d sign = _mm256_set1_pd(-0.0);
    __m128 a_half[2], r_half[2];
    __m128i n_half[2];
    for (int h = 0; h < 2; h++) {
        const __m256d xd = _mm256_cvtps_pd(h ? _mm256_extractf128_ps(x, 1) : _mm256_castps256_ps128(x));
        const __m256d u = _mm256_mul_pd(
            xd, _mm256_fmadd_pd(_mm256_set1_pd(GPT2_GELU_K1), _mm256_mul_pd(xd, xd), _mm256_set1_pd(GPT2_GELU_K0)));
        const __m256d au = _mm256_andnot_pd(sign, u);
        const __m256d a2 = _mm256_min_pd(_mm256_add_pd(au, au), _mm256_set1_pd((double)GPT2_EXP_MAX)); // NaN → the limit
        const __m256d n = _mm256_round_pd(_mm256_mul_pd(a2, _mm256_set1_pd(GPT2_EXP_LOG2E)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        a_half[h] = _mm256_cvtpd_ps(au);
        r_half[h] = _mm256_cvtpd_ps(_mm256_fnmadd_pd(n, _mm256_set1_pd(GPT2_EXP_LN2), a2));
        n_half[h] = _mm256_cvtpd_epi32(n);
    }
    const __m256 a = _mm256_set_m128(a_half[1], a_half[0]);
    const __m256 r = _mm256_set_m128(r_half[1], r_half[0]);
    const __m256i n = _mm256_set_m128i(n_half[1], n_half[0]);
    const __m256 one = _mm256_set1_ps(1.0f);
    // Large |u|: q = 2 / (e^(2a) + 1), tanh a = 1 − q.
    const __m256 e = gpt2_scale_pow2_avx2(gpt2_exp_poly_avx2(r), n);
    const __m256 q = _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one));
    // Small |u|: tanh a = a + a³ P(a²).
    const __m256 s = _mm256_mul_ps(a, a);
    __m256 p = _mm256_fmadd_ps(_mm256_set1_ps(GPT2_TANH_P4), s, _mm256_set1_ps(GPT2_TANH_P3));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(GPT2_TANH_P2));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(GPT2_TANH_P1));
    p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(GPT2_TANH_P0));
    const __m256 t = _mm256_fmadd_ps(_mm256_mul_ps(a, s), p, a);
    const __m256 small = _mm256_cmp_ps(a, _mm256_set1_ps(GPT2_TANH_SPLIT), _CMP_LT_OQ);
    const __m256 negative = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ); // the sign of u
    // 1 + tanh u.
    const __m256 large = _mm256_blendv_ps(_mm256_sub_ps(_mm256_set1_ps(2.0f), q), q, negative);
    const __m256 near = _mm256_blendv_ps(_mm256_add_ps(one, t), _mm256_sub_ps(one, t), negative);
    const __m256 factor = _mm256_blendv_ps(large, near, small);
    const __m256 y = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), x), factor);
    // NaN in, NaN out (the fp64 clamp above turned it into the limit); −∞ gives −0.
    const __m256 nan = _mm256_cmp_ps(x, x, _CMP_UNORD_Q);
    const __m256 minus_infinity = _mm256_cmp_ps(x, _mm256_set1_ps(-__builtin_inff()), _CMP_EQ_OQ);
    return _mm256_blendv_ps(_mm256_blendv_ps(y, _mm256_set1_ps(-0.0f), minus_infinity), x, nan);
}

GPT2_TARGET_AVX2
void gpt2_gelu_f32_avx2(float *x, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, gpt2_gelu_avx2(_mm256_loadu_ps(x + i)));
    if (i < n) {
        const __m256i mask = gpt2_lane_mask_avx2(n - i);
        _mm256_maskstore_ps(x + i, mask, gpt2_gelu_avx2(_mm256_maskload_ps(x + i, mask)));
    }
}

#endif
