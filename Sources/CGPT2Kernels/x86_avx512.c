// The AVX-512 VNNI path. vpdpbusd multiplies unsigned bytes by signed bytes and adds groups of
// four into int32 lanes; Q8_0 values are signed on both sides, so the tiled weights hold q + 128
// (q ^ 0x80 as an unsigned byte, done once when tiling) and 128 × Σ x, prepared once per call for
// each activation block, is subtracted exactly in int32 before anything is converted to fp32.
//
// The product reads weights in tiles of 16 rows (CGPT2Kernels.h): lane j of one 512-bit load
// holds four values of row j, so one broadcast activation dword feeds 16 outputs per vpdpbusd,
// a block's int32 sums come out one row per lane, and a single convert-and-FMA per block and
// activation row scales all 16. Nothing is rearranged per call, and each tile is one run of
// memory, so at decode (a few activation rows) the weights stream at memory speed with the
// arithmetic hidden under the loads: on Zen 4, 3 rows cost about 5% more than 1 (the earlier
// kernels on plain rows, which transposed blocks on the fly, cost 15–35% more).
#include "kernels_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define GPT2_TARGET_AVX512 \
    __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
#define GPT2_INLINE static inline __attribute__((always_inline))

// The tiles of a product are used GPT2_TILE_ROW_GROUP activation rows at a time; with no more
// rows than that a call makes one pass over all the blocks of each tile (the weights read once,
// in order). With more rows, the blocks go in chunks of at most GPT2_TILE_CHUNK_BLOCKS (34 KiB of
// a tile) that stay in L1 while every group of rows uses them.
enum {
    GPT2_TILE_ROW_GROUP = 4,
    GPT2_TILE_CHUNK_BLOCKS = 64,
    GPT2_X_INFO_CAPACITY = 6144, // prepared activation blocks kept on the stack per call
};

// Per activation block, prepared once per call: the scale as fp32, and -128 × Σ q (the
// correction for the weights' offset).
typedef struct gpt2_x_block_info {
    float d;
    int32_t correction;
} gpt2_x_block_info;

GPT2_INLINE GPT2_TARGET_AVX512 __m256i gpt2_loadu_256(const uint8_t *p) {
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

GPT2_INLINE GPT2_TARGET_AVX512 int32_t gpt2_load_i32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

// The scale (fp32) and -128 × Σ q of each activation block of a chunk, row-major (rc, kc).
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_prepare_x_info(gpt2_x_block_info *info, const uint8_t *x, int64_t row_bytes,
                                                         int64_t rc, int64_t kc) {
    const __m256i offset = _mm256_set1_epi8((char)0x80);
    for (int64_t r = 0; r < rc; r++) {
        for (int64_t b = 0; b < kc; b++) {
            const uint8_t *xb = x + r * row_bytes + b * QB;
            // Σ (q + 128) with vpsadbw, four 64-bit partial sums.
            const __m256i sums = _mm256_sad_epu8(_mm256_xor_si256(gpt2_loadu_256(xb + 2), offset), _mm256_setzero_si256());
            const __m128i s = _mm_add_epi64(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1));
            const int32_t total = _mm_cvtsi128_si32(_mm_add_epi64(s, _mm_unpackhi_epi64(s, s))) - 128 * QK;
            info[r * kc + b].d = _cvtsh_ss(gpt2_load_u16(xb));
            info[r * kc + b].correction = -128 * total;
        }
    }
}

// R activation rows × one tile over `kc` tile blocks; adds the results to y (or to the bias on
// the first chunk) in the lanes of `mask`. The eight dwords of a block go to all R rows before
// the next, so R independent vpdpbusd chains overlap.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_tile_rows(const int R, const uint8_t *tile, int64_t kc, const uint8_t *x,
                                                    int64_t row_bytes, const gpt2_x_block_info *info, float *y,
                                                    int64_t y_stride, const float *bias, __mmask16 mask, int first) {
    __m512 acc[GPT2_TILE_ROW_GROUP];
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
    for (int64_t b = 0; b < kc; b++) {
        const uint8_t *block = tile + b * GPT2_Q8_0_TILE_BLOCK_BYTES;
        __m512i wk[8];
        for (int k = 0; k < 8; k++) wk[k] = _mm512_loadu_si512(block + 32 + 64 * k);
        const __m512 dw = _mm512_cvtph_ps(gpt2_loadu_256(block));
        __m512i sums[GPT2_TILE_ROW_GROUP];
        for (int r = 0; r < R; r++) sums[r] = _mm512_set1_epi32(info[r * kc + b].correction);
        for (int k = 0; k < 8; k++) {
            for (int r = 0; r < R; r++) {
                const __m512i xk = _mm512_set1_epi32(gpt2_load_i32(x + r * row_bytes + b * QB + 2 + 4 * k));
                sums[r] = _mm512_dpbusd_epi32(sums[r], wk[k], xk);
            }
        }
        for (int r = 0; r < R; r++) {
            acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums[r]), _mm512_mul_ps(dw, _mm512_set1_ps(info[r * kc + b].d)), acc[r]);
        }
    }
    for (int r = 0; r < R; r++) {
        float *out = y + r * y_stride;
        const __m512 base = first ? (bias ? _mm512_maskz_loadu_ps(mask, bias) : _mm512_setzero_ps())
                                  : _mm512_maskz_loadu_ps(mask, out);
        _mm512_mask_storeu_ps(out, mask, _mm512_add_ps(base, acc[r]));
    }
}

GPT2_TARGET_AVX512
void gpt2_matmul_q8_0_avx512(float *y, int64_t y_stride, const void *w, const void *x, const float *bias,
                             int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    enum { G = GPT2_TILE_ROW_GROUP, T = GPT2_Q8_0_TILE_ROWS };
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    const int64_t tile_bytes = nb * GPT2_Q8_0_TILE_BLOCK_BYTES;
    const int64_t kc_max = gpt2_balanced_chunk(nb, rows <= G ? GPT2_X_INFO_CAPACITY / G : GPT2_TILE_CHUNK_BLOCKS);
    const int64_t rc_max = GPT2_X_INFO_CAPACITY / kc_max;
    gpt2_x_block_info info[GPT2_X_INFO_CAPACITY];
    for (int64_t r0 = 0; r0 < rows; r0 += rc_max) {
        const int64_t rc = rows - r0 < rc_max ? rows - r0 : rc_max;
        for (int64_t b0 = 0; b0 < nb; b0 += kc_max) {
            const int64_t kc = nb - b0 < kc_max ? nb - b0 : kc_max;
            const uint8_t *xc = (const uint8_t *)x + r0 * row_bytes + b0 * QB;
            gpt2_prepare_x_info(info, xc, row_bytes, rc, kc);
            const int first = b0 == 0;
            for (int64_t o0 = out_begin / T * T; o0 < out_end; o0 += T) {
                const int64_t lo = out_begin > o0 ? out_begin - o0 : 0;
                const int64_t hi = out_end - o0 < T ? out_end - o0 : T;
                const __mmask16 mask = (__mmask16)(((1u << hi) - 1) & ~((1u << lo) - 1));
                const uint8_t *tile = (const uint8_t *)w + o0 / T * tile_bytes + b0 * GPT2_Q8_0_TILE_BLOCK_BYTES;
                const float *bo = bias ? bias + o0 : NULL;
                float *yo = y + r0 * y_stride + o0;
                int64_t r = 0;
                for (; r + G <= rc; r += G) {
                    gpt2_tile_rows(G, tile, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first);
                }
                switch (rc - r) {
                case 1: gpt2_tile_rows(1, tile, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                case 2: gpt2_tile_rows(2, tile, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                case 3: gpt2_tile_rows(3, tile, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                default: break;
                }
            }
        }
    }
}

// --- Quantization ----------------------------------------------------------------------------

// The rounding of gpt2_round_to_int8 on 16 lanes: NaN → 0, halves away from zero, then clamped
// to [-127, 127].
GPT2_INLINE GPT2_TARGET_AVX512 __m512i gpt2_round_to_int32_512(__m512 v) {
    v = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(v, v, _CMP_ORD_Q), v);
    const __m512 t = _mm512_roundscale_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512 rest = _mm512_sub_ps(v, t);
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 q = _mm512_mask_add_ps(t, _mm512_cmp_ps_mask(rest, _mm512_set1_ps(0.5f), _CMP_GE_OQ), t, one);
    q = _mm512_mask_sub_ps(q, _mm512_cmp_ps_mask(rest, _mm512_set1_ps(-0.5f), _CMP_LE_OQ), q, one);
    q = _mm512_min_ps(_mm512_max_ps(q, _mm512_set1_ps(-127.0f)), _mm512_set1_ps(127.0f));
    return _mm512_cvttps_epi32(q);
}

// One block in two zmm: the same steps, and so the same bytes, as the AVX2 quantizer.
GPT2_TARGET_AVX512
void gpt2_quantize_rows_q8_0_avx512(const float *x, void *y, int64_t rows, int64_t columns) {
    const int64_t blocks = rows * (columns / QK);
    uint8_t *out = y;
    for (int64_t b = 0; b < blocks; b++) {
        const float *v = x + b * QK;
        uint8_t *block = out + b * QB;
        const __m512 v0 = _mm512_loadu_ps(v), v1 = _mm512_loadu_ps(v + 16);
        // max(new, old) keeps old when new is NaN, as the reference's comparison does.
        const __m512 amax = _mm512_max_ps(_mm512_abs_ps(v1), _mm512_max_ps(_mm512_abs_ps(v0), _mm512_setzero_ps()));
        const __m512 scale = _mm512_set1_ps(gpt2_q8_0_store_scale(block, _mm512_reduce_max_ps(amax)));
        _mm_storeu_si128((__m128i *)(void *)(block + 2), _mm512_cvtepi32_epi8(gpt2_round_to_int32_512(_mm512_mul_ps(v0, scale))));
        _mm_storeu_si128((__m128i *)(void *)(block + 18), _mm512_cvtepi32_epi8(gpt2_round_to_int32_512(_mm512_mul_ps(v1, scale))));
    }
}

// --- fp32 helpers ----------------------------------------------------------------------------

GPT2_TARGET_AVX512
float gpt2_dot_f32_avx512(const float *a, const float *b, int64_t n) {
    __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        for (int k = 0; k < 4; k++) {
            acc[k] = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16 * k), _mm512_loadu_ps(b + i + 16 * k), acc[k]);
        }
    }
    for (; i + 16 <= n; i += 16) acc[0] = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc[0]);
    if (i < n) {
        const __mmask16 mask = (__mmask16)((1u << (n - i)) - 1);
        acc[1] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), acc[1]);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(acc[0], acc[1]), _mm512_add_ps(acc[2], acc[3])));
}

GPT2_TARGET_AVX512
void gpt2_axpy_f32_avx512(float alpha, const float *x, float *y, int64_t n) {
    const __m512 a = _mm512_set1_ps(alpha);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, _mm512_fmadd_ps(a, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    if (i < n) {
        const __mmask16 mask = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(y + i, mask, _mm512_fmadd_ps(a, _mm512_maskz_loadu_ps(mask, x + i), _mm512_maskz_loadu_ps(mask, y + i)));
    }
}

// The maximum with NaN skipped (vmaxps gives its second operand when either is NaN, and the
// running maximum, started at x[0], is never NaN), then the first index holding it.
GPT2_TARGET_AVX512
int64_t gpt2_argmax_f32_avx512(const float *x, int64_t n) {
    if (n <= 0 || x[0] != x[0]) return 0;
    __m512 m[4] = {_mm512_set1_ps(x[0]), _mm512_set1_ps(x[0]), _mm512_set1_ps(x[0]), _mm512_set1_ps(x[0])};
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        for (int k = 0; k < 4; k++) m[k] = _mm512_max_ps(_mm512_loadu_ps(x + i + 16 * k), m[k]);
    }
    for (; i < n; i += 16) {
        const __mmask16 mask = (__mmask16)(n - i >= 16 ? 0xFFFFu : (1u << (n - i)) - 1);
        m[0] = _mm512_mask_max_ps(m[0], mask, _mm512_maskz_loadu_ps(mask, x + i), m[0]);
    }
    const __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(_mm512_max_ps(_mm512_max_ps(m[0], m[1]), _mm512_max_ps(m[2], m[3]))));
    for (i = 0; i < n; i += 16) {
        const __mmask16 mask = (__mmask16)(n - i >= 16 ? 0xFFFFu : (1u << (n - i)) - 1);
        const __mmask16 hit = _mm512_mask_cmp_ps_mask(mask, _mm512_maskz_loadu_ps(mask, x + i), top, _CMP_EQ_OQ);
        if (hit) return i + __builtin_ctz(hit);
    }
    return 0;
}

// --- exp ---------------------------------------------------------------------------------------

// e^r for |r| ≤ ln 2 / 2 (kernels_internal.h).
GPT2_INLINE GPT2_TARGET_AVX512 __m512 gpt2_exp_poly_512(__m512 r) {
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(GPT2_EXP_E4), r, _mm512_set1_ps(GPT2_EXP_E3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(GPT2_EXP_E2));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(GPT2_EXP_E1));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(GPT2_EXP_E0));
    return _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
}

// e^x on 16 lanes, as gpt2_exp_approx; vscalefps applies 2^n with overflow to infinity and
// gradual underflow.
GPT2_INLINE GPT2_TARGET_AVX512 __m512 gpt2_exp_512(__m512 x) {
    // max and min return their second operand when one is NaN: NaN passes through.
    x = _mm512_min_ps(_mm512_set1_ps(GPT2_EXP_MAX), _mm512_max_ps(_mm512_set1_ps(GPT2_EXP_MIN), x));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps((float)GPT2_EXP_LOG2E)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fmadd_ps(n, _mm512_set1_ps(-GPT2_EXP_LN2_HI), x);
    r = _mm512_fmadd_ps(n, _mm512_set1_ps(-GPT2_EXP_LN2_LO), r);
    return _mm512_scalef_ps(gpt2_exp_poly_512(r), n);
}

// --- Attention: softmax and values ------------------------------------------------------------

// Head dimensions per pass: the output in at most 8 zmm registers.
enum { GPT2_ATTENTION_CHUNK = 128 };

// Vector v of NV over one chunk of fp16 dimensions at p, widened: the last one masked (it may be
// partial).
#define GPT2_LOAD_HALF_CHUNK(NV, v, last, p)                                        \
    _mm512_cvtph_ps((v) == (NV) - 1 ? _mm256_maskz_loadu_epi16((last), (p) + 16 * (v)) \
                                    : _mm256_loadu_si256((const __m256i *)(const void *)((p) + 16 * (v))))

// Rows sharing their first positions are worked on GPT2_ATTENTION_ROWS at a time when the head
// fits in 4 zmm (their 3 × 4 accumulators then stay in registers).
enum { GPT2_ATTENTION_ROWS = 3 };

// acc_r += scores_r[t] × values[t] for t in [0, t_end) (all below the split), R rows, one chunk
// of NV vectors: each value is widened once for all the rows. Per row the additions come in
// the order gpt2_attention_values_512 makes them, so the bits are the same.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_attention_shared_values_512(const int R, const int NV, const uint16_t *values,
                                                                     int64_t c, int64_t stride, int64_t t_end,
                                                                     __mmask16 last, const float *scores,
                                                                     int64_t scores_stride, __m512 acc[][8]) {
    for (int64_t t = 0; t < t_end; t++) {
        const uint16_t *vt = values + t * stride + c;
        __m512 p[GPT2_ATTENTION_ROWS];
        for (int r = 0; r < R; r++) p[r] = _mm512_set1_ps(scores[r * scores_stride + t]);
        for (int v = 0; v < NV; v++) {
            const __m512 x = GPT2_LOAD_HALF_CHUNK(NV, v, last, vt);
            for (int r = 0; r < R; r++) acc[r][v] = _mm512_fmadd_ps(p[r], x, acc[r][v]);
        }
    }
}

// out = Σ_t scores[t] × values[t] over one chunk of NV vectors, going on from t_begin with the
// sums so far in `acc`.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_attention_values_512(const int NV, const uint16_t *values,
                                                              const uint16_t *values_rest, int64_t split, int64_t stride,
                                                              int64_t t_begin, int64_t positions, __mmask16 last,
                                                              const float *scores, const __m512 *acc_in, float *out) {
    __m512 acc[8];
    for (int v = 0; v < NV; v++) acc[v] = acc_in[v];
    for (int64_t t = t_begin; t < positions; t++) {
        const uint16_t *vt = gpt2_attention_row(values, values_rest, split, stride, t);
        const __m512 p = _mm512_set1_ps(scores[t]);
        for (int v = 0; v < NV; v++) acc[v] = _mm512_fmadd_ps(p, GPT2_LOAD_HALF_CHUNK(NV, v, last, vt), acc[v]);
    }
    for (int v = 0; v < NV; v++) {
        const __mmask16 mask = v == NV - 1 ? last : (__mmask16)0xFFFF;
        _mm512_mask_storeu_ps(out + 16 * v, mask, acc[v]);
    }
}

// Scale, maximum, exponentials and their sum, normalization of `positions` scores, 16 at a time.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_attention_softmax_512(float *scores, int64_t positions, float scale) {
    const __m512 scale16 = _mm512_set1_ps(scale);
    __m512 maximum = _mm512_set1_ps(-__builtin_inff());
    for (int64_t t = 0; t < positions; t += 16) {
        const __mmask16 mask = (__mmask16)(positions - t >= 16 ? 0xFFFFu : (1u << (positions - t)) - 1);
        const __m512 s = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, scores + t), scale16);
        _mm512_mask_storeu_ps(scores + t, mask, s);
        maximum = _mm512_mask_max_ps(maximum, mask, maximum, s);
    }
    const __m512 top = _mm512_set1_ps(_mm512_reduce_max_ps(maximum));
    __m512 sum = _mm512_setzero_ps();
    for (int64_t t = 0; t < positions; t += 16) {
        const __mmask16 mask = (__mmask16)(positions - t >= 16 ? 0xFFFFu : (1u << (positions - t)) - 1);
        const __m512 e = gpt2_exp_512(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, scores + t), top));
        _mm512_mask_storeu_ps(scores + t, mask, e);
        sum = _mm512_mask_add_ps(sum, mask, sum, e);
    }
    const __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    for (int64_t t = 0; t < positions; t += 16) {
        const __mmask16 mask = (__mmask16)(positions - t >= 16 ? 0xFFFFu : (1u << (positions - t)) - 1);
        _mm512_mask_storeu_ps(scores + t, mask, _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, scores + t), inverse));
    }
}

#define GPT2_CHUNK_SWITCH(nv, call) \
    switch (nv) {                   \
    case 1: call(1); break;         \
    case 2: call(2); break;         \
    case 3: call(3); break;         \
    case 4: call(4); break;         \
    case 5: call(5); break;         \
    case 6: call(6); break;         \
    case 7: call(7); break;         \
    default: call(8); break;        \
    }

// R rows of a group: softmax of each, then the values below `shared` (the split, or less if a
// row sees fewer) through the shared loop, the others row by row.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_softmax_values_group_512(const int R, const gpt2_attention_query *each,
                                                                  const uint16_t *values, int64_t split,
                                                                  int64_t head_dim, float scale, float *scores,
                                                                  int64_t scores_stride) {
    int64_t shared = split;
    for (int r = 0; r < R; r++) {
        for (int64_t i = 0; i < head_dim; i++) each[r].out[i] = 0;
        if (each[r].positions < shared) shared = each[r].positions;
        if (each[r].positions > 0) gpt2_attention_softmax_512(scores + r * scores_stride, each[r].positions, scale);
    }
    if (shared < 0) shared = 0;
    for (int64_t c = 0; c < head_dim; c += GPT2_ATTENTION_CHUNK) {
        const int64_t width = head_dim - c < GPT2_ATTENTION_CHUNK ? head_dim - c : GPT2_ATTENTION_CHUNK;
        const int nv = (int)((width + 15) / 16);
        const __mmask16 last = (__mmask16)(width % 16 ? (1u << (width % 16)) - 1 : 0xFFFFu);
        __m512 acc[GPT2_ATTENTION_ROWS][8];
        for (int r = 0; r < R; r++) {
            for (int v = 0; v < 8; v++) acc[r][v] = _mm512_setzero_ps();
        }
#define GPT2_VALUES(NV)                                                                                        \
    gpt2_attention_shared_values_512(R, NV, values, c, head_dim, shared, last, scores, scores_stride, acc);  \
    for (int r = 0; r < R; r++) {                                                                              \
        if (each[r].positions > 0) {                                                                           \
            gpt2_attention_values_512(NV, values + c, each[r].values_rest + c, split, head_dim, shared,       \
                                      each[r].positions, last, scores + r * scores_stride, acc[r],            \
                                      each[r].out + c);                                                        \
        }                                                                                                      \
    }
        GPT2_CHUNK_SWITCH(nv, GPT2_VALUES)
#undef GPT2_VALUES
    }
}

GPT2_TARGET_AVX512
void gpt2_softmax_values_f16_avx512(int64_t rows, const gpt2_attention_query *each, const uint16_t *values,
                                    int64_t split, int64_t head_dim, float scale, float *scores,
                                    int64_t scores_stride) {
    const int64_t group = head_dim <= 64 ? GPT2_ATTENTION_ROWS : 1;
    for (int64_t r = 0; r < rows; r += group) {
        const int64_t n = rows - r < group ? rows - r : group;
        float *sr = scores + r * scores_stride;
        switch (n) {
        case 1: gpt2_softmax_values_group_512(1, each + r, values, split, head_dim, scale, sr, scores_stride); break;
        case 2: gpt2_softmax_values_group_512(2, each + r, values, split, head_dim, scale, sr, scores_stride); break;
        default: gpt2_softmax_values_group_512(3, each + r, values, split, head_dim, scale, sr, scores_stride); break;
        }
    }
}

#undef GPT2_CHUNK_SWITCH
#undef GPT2_LOAD_HALF_CHUNK

// --- GELU --------------------------------------------------------------------------------------

// GELU of 16 values, the steps of gpt2_gelu_approx (kernels_internal.h).
GPT2_INLINE GPT2_TARGET_AVX512 __m512 gpt2_gelu_512(__m512 x) {
    // u = √(2/π) (x + 0.044715 x³), |u|, and the reduction of 2|u| for e^(2|u|), in fp64.
    __m256 a_half[2], r_half[2], n_half[2];
    for (int h = 0; h < 2; h++) {
        const __m512d xd = _mm512_cvtps_pd(h ? _mm512_extractf32x8_ps(x, 1) : _mm512_castps512_ps256(x));
        const __m512d u = _mm512_mul_pd(
            xd, _mm512_fmadd_pd(_mm512_set1_pd(GPT2_GELU_K1), _mm512_mul_pd(xd, xd), _mm512_set1_pd(GPT2_GELU_K0)));
        const __m512d au = _mm512_abs_pd(u);
        const __m512d a2 = _mm512_min_pd(_mm512_set1_pd((double)GPT2_EXP_MAX), _mm512_add_pd(au, au)); // NaN passes
        const __m512d n = _mm512_roundscale_pd(_mm512_mul_pd(a2, _mm512_set1_pd(GPT2_EXP_LOG2E)),
                                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        a_half[h] = _mm512_cvtpd_ps(au);
        r_half[h] = _mm512_cvtpd_ps(_mm512_fnmadd_pd(n, _mm512_set1_pd(GPT2_EXP_LN2), a2));
        n_half[h] = _mm512_cvtpd_ps(n);
    }
    const __m512 a = _mm512_insertf32x8(_mm512_castps256_ps512(a_half[0]), a_half[1], 1);
    const __m512 r = _mm512_insertf32x8(_mm512_castps256_ps512(r_half[0]), r_half[1], 1);
    const __m512 n = _mm512_insertf32x8(_mm512_castps256_ps512(n_half[0]), n_half[1], 1);
    const __m512 one = _mm512_set1_ps(1.0f);
    // Large |u|: q = 2 / (e^(2a) + 1), tanh a = 1 − q.
    const __m512 e = _mm512_scalef_ps(gpt2_exp_poly_512(r), n);
    const __m512 q = _mm512_div_ps(_mm512_set1_ps(2.0f), _mm512_add_ps(e, one));
    // Small |u|: tanh a = a + a³ P(a²).
    const __m512 s = _mm512_mul_ps(a, a);
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(GPT2_TANH_P4), s, _mm512_set1_ps(GPT2_TANH_P3));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(GPT2_TANH_P2));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(GPT2_TANH_P1));
    p = _mm512_fmadd_ps(p, s, _mm512_set1_ps(GPT2_TANH_P0));
    const __m512 t = _mm512_fmadd_ps(_mm512_mul_ps(a, s), p, a);
    const __mmask16 small = _mm512_cmp_ps_mask(a, _mm512_set1_ps(GPT2_TANH_SPLIT), _CMP_LT_OQ);
    const __mmask16 negative = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ); // the sign of u
    // 1 + tanh u.
    __m512 factor = _mm512_sub_ps(_mm512_set1_ps(2.0f), q);
    factor = _mm512_mask_mov_ps(factor, negative, q);
    factor = _mm512_mask_mov_ps(factor, small, _mm512_add_ps(one, t));
    factor = _mm512_mask_mov_ps(factor, small & negative, _mm512_sub_ps(one, t));
    const __m512 y = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x), factor);
    const __mmask16 minus_infinity = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-__builtin_inff()), _CMP_EQ_OQ);
    return _mm512_mask_mov_ps(y, minus_infinity, _mm512_set1_ps(-0.0f));
}

GPT2_TARGET_AVX512
void gpt2_gelu_f32_avx512(float *x, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, gpt2_gelu_512(_mm512_loadu_ps(x + i)));
    if (i < n) {
        const __mmask16 mask = (__mmask16)((1u << (n - i)) - 1);
        _mm512_mask_storeu_ps(x + i, mask, gpt2_gelu_512(_mm512_maskz_loadu_ps(mask, x + i)));
    }
}

#endif
