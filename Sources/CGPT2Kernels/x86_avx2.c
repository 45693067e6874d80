// The AVX2 path (with FMA and F16C): the activation quantizer that the AVX-512 path shares, the
// int8 matmul with vpmaddubsw + vpmaddwd, and the fp32 helpers. Compiled for any x86-64; the
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
        const float d = _mm_cvtss_f32(m) / 127.0f;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        const uint16_t h = (uint16_t)_cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
        block[0] = (uint8_t)(h & 0xFF);
        block[1] = (uint8_t)(h >> 8);
        const __m256 scale = _mm256_set1_ps(id);
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

// Activation scales as fp32, per (row, block) of the current chunk.
enum { GPT2_AVX2_SCALES = 4096 };

// One block of OG output rows against R activation rows. Per pair: vpsignb moves the weight's
// sign onto the activation, vpmaddubsw multiplies |w| (unsigned) by it into int16 pairs (|w| ≤
// 128 and |x| ≤ 127 keep the pair sums below 2^15), vpmaddwd sums them into int32 lanes, and one
// FMA adds lanes × d_w × d_x into fp32 lane accumulators that are summed at the end.
GPT2_INLINE GPT2_TARGET_AVX2 void gpt2_avx2_block(const int OG, const int R, __m256 acc[2][4], const uint8_t *w,
                                                   int64_t row_bytes, const uint8_t *x, const float *dx, int64_t kc) {
    const __m256i ones = _mm256_set1_epi16(1);
    __m256i wv[2], aw[2];
    __m256 dw[2];
    for (int j = 0; j < OG; j++) {
        const uint8_t *wb = w + j * row_bytes;
        wv[j] = gpt2_loadu_256(wb + 2);
        aw[j] = _mm256_abs_epi8(wv[j]);
        dw[j] = _mm256_cvtph_ps(_mm_set1_epi16((short)gpt2_load_u16(wb)));
    }
    for (int r = 0; r < R; r++) {
        const __m256i xv = gpt2_loadu_256(x + r * row_bytes + 2);
        const __m256 d = _mm256_set1_ps(dx[r * kc]);
        for (int j = 0; j < OG; j++) {
            const __m256i p16 = _mm256_maddubs_epi16(aw[j], _mm256_sign_epi8(xv, wv[j]));
            const __m256i p32 = _mm256_madd_epi16(p16, ones);
            acc[j][r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(p32), _mm256_mul_ps(dw[j], d), acc[j][r]);
        }
    }
}

// OG output rows × R activation rows over `kc` blocks. A single output row (OG = 1) keeps even
// and odd blocks in separate accumulators, to shorten the FMA dependency chains.
GPT2_INLINE GPT2_TARGET_AVX2 void gpt2_avx2_tile(const int OG, const int R, float *y, int64_t y_stride,
                                                  const uint8_t *w, int64_t row_bytes, const uint8_t *x,
                                                  const float *dx, int64_t kc, const float *bias, int first) {
    __m256 acc[2][4], odd[2][4];
    for (int j = 0; j < OG; j++) {
        for (int r = 0; r < R; r++) acc[j][r] = odd[j][r] = _mm256_setzero_ps();
    }
    int64_t b = 0;
    if (OG == 1) {
        for (; b + 2 <= kc; b += 2) {
            gpt2_avx2_block(OG, R, acc, w + b * QB, row_bytes, x + b * QB, dx + b, kc);
            gpt2_avx2_block(OG, R, odd, w + (b + 1) * QB, row_bytes, x + (b + 1) * QB, dx + b + 1, kc);
        }
    }
    for (; b < kc; b++) gpt2_avx2_block(OG, R, acc, w + b * QB, row_bytes, x + b * QB, dx + b, kc);
    for (int r = 0; r < R; r++) {
        for (int j = 0; j < OG; j++) {
            float *out = y + r * y_stride + j;
            const float base = first ? (bias ? bias[j] : 0.0f) : *out;
            *out = base + gpt2_hsum_avx2(_mm256_add_ps(acc[j][r], odd[j][r]));
        }
    }
}

// Activation rows [0, rc) of a chunk, a few at a time for OG output rows, so their weights stay
// in L1 while the activations stream from L2. Two output rows go with three activation rows
// (with four they spill registers and are slower), one output row with four.
GPT2_INLINE GPT2_TARGET_AVX2 void gpt2_avx2_outputs(const int OG, float *y, int64_t y_stride, const uint8_t *w,
                                                     int64_t row_bytes, const uint8_t *x, const float *dx,
                                                     int64_t rc, int64_t kc, const float *bias, int first) {
    int64_t r = 0;
    if (OG == 1) {
        for (; r + 4 <= rc; r += 4) {
            gpt2_avx2_tile(1, 4, y + r * y_stride, y_stride, w, row_bytes, x + r * row_bytes, dx + r * kc, kc, bias, first);
        }
    }
    for (; r + 3 <= rc; r += 3) {
        gpt2_avx2_tile(OG, 3, y + r * y_stride, y_stride, w, row_bytes, x + r * row_bytes, dx + r * kc, kc, bias, first);
    }
    switch (rc - r) {
    case 1: gpt2_avx2_tile(OG, 1, y + r * y_stride, y_stride, w, row_bytes, x + r * row_bytes, dx + r * kc, kc, bias, first); break;
    case 2: gpt2_avx2_tile(OG, 2, y + r * y_stride, y_stride, w, row_bytes, x + r * row_bytes, dx + r * kc, kc, bias, first); break;
    default: break;
    }
}

GPT2_TARGET_AVX2
void gpt2_matmul_q8_0_avx2(float *y, int64_t y_stride, const void *w, const void *x, const float *bias,
                           int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    const int64_t kc_max = gpt2_balanced_chunk(nb, 128);
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
            float *yc = y + r0 * y_stride;
            const uint8_t *wc = (const uint8_t *)w + b0 * QB;
            const int first = b0 == 0;
            // With few rows the kernel is memory-bound: one output row at a time reads the weights
            // as a single sequential stream, which the hardware prefetchers follow far better.
            const int64_t paired_end = rc <= 4 ? out_begin : out_end - 1;
            int64_t o = out_begin;
            for (; o < paired_end; o += 2) {
                gpt2_avx2_outputs(2, yc + o, y_stride, wc + o * row_bytes, row_bytes, xc, dx, rc, kc, bias ? bias + o : NULL, first);
            }
            for (; o < out_end; o++) {
                gpt2_avx2_outputs(1, yc + o, y_stride, wc + o * row_bytes, row_bytes, xc, dx, rc, kc, bias ? bias + o : NULL, first);
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

#endif
