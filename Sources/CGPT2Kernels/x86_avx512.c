// The AVX-512 VNNI path. vpdpbusd multiplies unsigned bytes by signed bytes and adds groups of
// four into int32 lanes; Q8_0 values are signed on both sides, so the weights are offset by 128
// (q ^ 0x80 = q + 128 as an unsigned byte) and 128 × Σ x, prepared once per call for each
// activation block, is subtracted exactly in int32 before anything is converted to fp32.
//
// Three kernels:
//  - grouped (decode, 1–7 activation rows): 256-bit, one output row after another so the weights
//    are read as a single sequential stream, each block used for every activation row. Four
//    weight blocks at a time are transposed (a 4 × 4 dword transpose in each 128-bit half) so
//    that each int32 lane of vpdpbusd sums 16 products of one block instead of 4; the fp32 work
//    per (row, block) (convert, scale, FMA) then falls to a quarter. The activations are laid
//    out the same way once per call. At 3 rows on one Zen 4 core this stays near DRAM speed,
//    where the direct form below is compute-bound at 17 GB/s.
//  - direct (1–2 rows that the grouped kernel's scratch cannot hold): 256-bit, weights straight
//    from their Q8_0 rows, one output row after another, a convert-and-FMA per (row, block).
//  - many rows (prefill): each tile of 16 output rows is repacked on the fly so that lane j of a
//    512-bit register holds four bytes of output row j; one broadcast activation dword then
//    feeds 16 outputs per vpdpbusd, and a block's int32 sums come out one per lane, ready for a
//    single convert-and-FMA per 16 outputs. The repacking is paid once per tile and reused by
//    every activation row. On Zen 4 this 512-bit form is 25–30% faster than the same kernel
//    with 256-bit registers and 8-row tiles.
#include "kernels_internal.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define GPT2_TARGET_AVX512 \
    __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")))
#define GPT2_INLINE static inline __attribute__((always_inline))

// Which kernel takes a product (single-threaded, weights from DRAM, all three side by side on
// GPT-2 124M's shapes for 1–8 rows):
//  - the grouped kernel for 1–7 rows while rows × blocks per row fits its scratch (it does not
//    split the columns into chunks). It ties the direct kernel at 1 row, beats it from 2 rows
//    on, and beats the packed one up to 5 rows (1.3–1.7× at 3 rows); they tie at 6–7 rows and
//    the packed one wins at 8. Beyond ~20 KiB of prepared activations, which it rereads for
//    every output row, the weight stream slows down badly (3072 columns: fine at 5 rows, half
//    the speed at 6);
//  - otherwise the direct kernel for 1–2 rows and the packed kernel for more.
enum {
    GPT2_GROUPED_MAX_ROWS = 7,
    GPT2_GROUPED_CAPACITY = 512, // (row, block) entries: 7 rows × 768 columns, 5 rows × 3072
    GPT2_DIRECT_MAX_ROWS = 2,
};

GPT2_INLINE GPT2_TARGET_AVX512 __m256i gpt2_loadu_256(const uint8_t *p) {
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

GPT2_INLINE GPT2_TARGET_AVX512 int32_t gpt2_load_i32(const uint8_t *p) {
    int32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

GPT2_INLINE GPT2_TARGET_AVX512 float gpt2_hsum_256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// --- Direct kernel (few rows) ----------------------------------------------------------------

// Prepared activations for the direct kernel, per (row, block): -128 × the sum of each four
// bytes of q (one int32 lane each), and the scale in fp32.
enum { GPT2_DIRECT_CAPACITY = 1024 }; // (row, block) entries: 36 KiB

// One weight block against R activation rows. The weights are offset (unsigned), the
// activations stay signed and come straight from their Q8_0 rows; each int32 lane starts from
// the activations' correction for its four bytes, so every lane ends as an exact sum of four
// products and the fp32 lanes only ever see the true partial sums.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_direct_block(const int R, __m256 *acc, const uint8_t *wb, const uint8_t *xb,
                                                       int64_t row_bytes, const __m256i *xc, const float *xd,
                                                       int64_t kc) {
    const __m256i wu = _mm256_xor_si256(gpt2_loadu_256(wb + 2), _mm256_set1_epi8((char)0x80));
    const __m256 dw = _mm256_cvtph_ps(_mm_set1_epi16((short)gpt2_load_u16(wb)));
    for (int r = 0; r < R; r++) {
        const __m256i sums = _mm256_dpbusd_epi32(_mm256_load_si256(xc + r * kc), wu, gpt2_loadu_256(xb + r * row_bytes + 2));
        acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), _mm256_mul_ps(dw, _mm256_set1_ps(xd[r * kc])), acc[r]);
    }
}

// Single blocks [0, n) of one output row (at wb) against R activation rows (values at
// x + r × row_bytes, prepared as for the direct kernel at xc, xd + r × n).
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_direct_tail(const int R, __m256 *acc, const uint8_t *wb, const uint8_t *x,
                                                      int64_t row_bytes, const __m256i *xc, const float *xd, int64_t n) {
    for (int64_t t = 0; t < n; t++) gpt2_direct_block(R, acc, wb + t * QB, x + t * QB, row_bytes, xc + t, xd + t, n);
}

// Output rows one after another, so the weights are read as one sequential stream (the
// hardware prefetchers follow one stream far better than several interleaved rows); even and
// odd blocks go to separate accumulators to shorten the FMA dependency chains.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_direct_outputs(const int R, float *y, int64_t y_stride, const uint8_t *w,
                                                         const uint8_t *x, int64_t row_bytes, const __m256i *xc,
                                                         const float *xd, int64_t kc, const float *bias,
                                                         int64_t out_begin, int64_t out_end, int first) {
    for (int64_t o = out_begin; o < out_end; o++) {
        const uint8_t *wo = w + o * row_bytes;
        __m256 even[8], odd[8];
        for (int r = 0; r < R; r++) even[r] = odd[r] = _mm256_setzero_ps();
        int64_t b = 0;
        for (; b + 2 <= kc; b += 2) {
            gpt2_direct_block(R, even, wo + b * QB, x + b * QB, row_bytes, xc + b, xd + b, kc);
            gpt2_direct_block(R, odd, wo + (b + 1) * QB, x + (b + 1) * QB, row_bytes, xc + b + 1, xd + b + 1, kc);
        }
        if (b < kc) gpt2_direct_block(R, even, wo + b * QB, x + b * QB, row_bytes, xc + b, xd + b, kc);
        for (int r = 0; r < R; r++) {
            float *out = y + r * y_stride + o;
            const float base = first ? (bias ? bias[o] : 0.0f) : *out;
            *out = base + gpt2_hsum_256(_mm256_add_ps(even[r], odd[r]));
        }
    }
}

GPT2_TARGET_AVX512
static void gpt2_matmul_direct(float *y, int64_t y_stride, const uint8_t *w, const uint8_t *x, const float *bias,
                               int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    const int64_t kc_max = gpt2_balanced_chunk(nb, GPT2_DIRECT_CAPACITY / rows);
    __m256i xc[GPT2_DIRECT_CAPACITY];
    float xd[GPT2_DIRECT_CAPACITY];
    const __m256i offset = _mm256_set1_epi8((char)0x80);
    const __m256i zero = _mm256_setzero_si256();
    for (int64_t b0 = 0; b0 < nb; b0 += kc_max) {
        const int64_t kc = nb - b0 < kc_max ? nb - b0 : kc_max;
        const uint8_t *xk = x + b0 * QB;
        for (int64_t r = 0; r < rows; r++) {
            for (int64_t b = 0; b < kc; b++) {
                const uint8_t *xb = xk + r * row_bytes + b * QB;
                xc[r * kc + b] = _mm256_sub_epi32(zero, _mm256_dpbusd_epi32(zero, offset, gpt2_loadu_256(xb + 2)));
                xd[r * kc + b] = _cvtsh_ss(gpt2_load_u16(xb));
            }
        }
        const uint8_t *wk = w + b0 * QB;
        const int first = b0 == 0;
        switch (rows) {
        case 1: gpt2_direct_outputs(1, y, y_stride, wk, xk, row_bytes, xc, xd, kc, bias, out_begin, out_end, first); break;
        case 2: gpt2_direct_outputs(2, y, y_stride, wk, xk, row_bytes, xc, xd, kc, bias, out_begin, out_end, first); break;
        case 3: gpt2_direct_outputs(3, y, y_stride, wk, xk, row_bytes, xc, xd, kc, bias, out_begin, out_end, first); break;
        case 4: gpt2_direct_outputs(4, y, y_stride, wk, xk, row_bytes, xc, xd, kc, bias, out_begin, out_end, first); break;
        case 5: gpt2_direct_outputs(5, y, y_stride, wk, xk, row_bytes, xc, xd, kc, bias, out_begin, out_end, first); break;
        case 6: gpt2_direct_outputs(6, y, y_stride, wk, xk, row_bytes, xc, xd, kc, bias, out_begin, out_end, first); break;
        case 7: gpt2_direct_outputs(7, y, y_stride, wk, xk, row_bytes, xc, xd, kc, bias, out_begin, out_end, first); break;
        default: gpt2_direct_outputs(8, y, y_stride, wk, xk, row_bytes, xc, xd, kc, bias, out_begin, out_end, first); break;
        }
    }
}

// --- Grouped kernel (decode) -----------------------------------------------------------------

// One activation row's share of a group of 4 blocks, prepared once per call: the values
// transposed as the weights are (see gpt2_transpose_4_blocks), and in each int32 lane -128 × the
// sum of the 16 activation bytes that the lane multiplies (the correction for the weights'
// offset of 128).
typedef struct gpt2_grouped_x {
    __m256i q[4];
    __m256i correction;
} gpt2_grouped_x;

// b_j = the 32 values of block j → out[k] lane j = dword k of block j, lane 4 + j = dword k + 4
// of block j. Lanes j and 4 + j of out[0 ... 3] together hold all of block j.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_transpose_4_blocks(__m256i b0, __m256i b1, __m256i b2, __m256i b3,
                                                            __m256i out[4]) {
    const __m256i t0 = _mm256_unpacklo_epi32(b0, b1), t1 = _mm256_unpackhi_epi32(b0, b1);
    const __m256i t2 = _mm256_unpacklo_epi32(b2, b3), t3 = _mm256_unpackhi_epi32(b2, b3);
    out[0] = _mm256_unpacklo_epi64(t0, t2);
    out[1] = _mm256_unpackhi_epi64(t0, t2);
    out[2] = _mm256_unpacklo_epi64(t1, t3);
    out[3] = _mm256_unpackhi_epi64(t1, t3);
}

// The four weight blocks at `wg`, offset to unsigned and transposed, and their scales in the
// lanes that hold them: (d0, d1, d2, d3, d0, d1, d2, d3).
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_grouped_weights(const uint8_t *wg, __m256i wt[4], __m256 *dw) {
    const __m256i offset = _mm256_set1_epi8((char)0x80);
    gpt2_transpose_4_blocks(_mm256_xor_si256(gpt2_loadu_256(wg + 2), offset),
                            _mm256_xor_si256(gpt2_loadu_256(wg + QB + 2), offset),
                            _mm256_xor_si256(gpt2_loadu_256(wg + 2 * QB + 2), offset),
                            _mm256_xor_si256(gpt2_loadu_256(wg + 3 * QB + 2), offset), wt);
    // The four fp16 scales gathered in a general-purpose register, then one broadcast.
    const uint64_t h = (uint64_t)gpt2_load_u16(wg) | (uint64_t)gpt2_load_u16(wg + QB) << 16 |
                       (uint64_t)gpt2_load_u16(wg + 2 * QB) << 32 | (uint64_t)gpt2_load_u16(wg + 3 * QB) << 48;
    *dw = _mm256_cvtph_ps(_mm_set1_epi64x((long long)h));
}

// Output rows one after another over `groups` groups of 4 blocks and then `tail` (< 4) single
// blocks, R activation rows each. gx and gd hold group g of row r at g × R + r (so they are read
// in order, once per output row); the tail blocks use the direct kernel's form (tc, td at
// r × tail + t, the values straight from the rows at xt).
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_grouped_outputs(const int R, float *y, int64_t y_stride, const uint8_t *w,
                                                          int64_t row_bytes, const gpt2_grouped_x *gx, const float *gd,
                                                          int64_t groups, const uint8_t *xt, const __m256i *tc,
                                                          const float *td, int64_t tail, const float *bias,
                                                          int64_t out_begin, int64_t out_end) {
    for (int64_t o = out_begin; o < out_end; o++) {
        const uint8_t *wo = w + o * row_bytes;
        __m256 acc[GPT2_GROUPED_MAX_ROWS];
        for (int r = 0; r < R; r++) acc[r] = _mm256_setzero_ps();
        for (int64_t g = 0; g < groups; g++) {
            __m256i wt[4];
            __m256 dw;
            gpt2_grouped_weights(wo + g * 4 * QB, wt, &dw);
            for (int r = 0; r < R; r++) {
                const gpt2_grouped_x *p = gx + g * R + r;
                __m256i sums = _mm256_load_si256(&p->correction);
                for (int k = 0; k < 4; k++) sums = _mm256_dpbusd_epi32(sums, wt[k], _mm256_load_si256(&p->q[k]));
                const __m256 dx = _mm256_broadcast_ps((const __m128 *)(const void *)(gd + (g * R + r) * 4));
                acc[r] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sums), _mm256_mul_ps(dw, dx), acc[r]);
            }
        }
        if (tail > 0) {
            gpt2_direct_tail(R, acc, wo + groups * 4 * QB, xt, row_bytes, tc, td, tail);
        }
        for (int r = 0; r < R; r++) {
            float *out = y + r * y_stride + o;
            *out = (bias ? bias[o] : 0.0f) + gpt2_hsum_256(acc[r]);
        }
    }
}

GPT2_TARGET_AVX512
static void gpt2_matmul_grouped(float *y, int64_t y_stride, const uint8_t *w, const uint8_t *x, const float *bias,
                                int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    const int64_t groups = nb / 4, tail = nb % 4;
    gpt2_grouped_x gx[GPT2_GROUPED_CAPACITY / 4];
    float gd[GPT2_GROUPED_CAPACITY];
    __m256i tc[GPT2_GROUPED_MAX_ROWS * 3];
    float td[GPT2_GROUPED_MAX_ROWS * 3];
    const __m256i offset = _mm256_set1_epi8((char)0x80);
    const __m256i zero = _mm256_setzero_si256();
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *xr = x + r * row_bytes;
        for (int64_t g = 0; g < groups; g++) {
            const uint8_t *xg = xr + g * 4 * QB;
            gpt2_grouped_x *p = gx + g * rows + r;
            gpt2_transpose_4_blocks(gpt2_loadu_256(xg + 2), gpt2_loadu_256(xg + QB + 2), gpt2_loadu_256(xg + 2 * QB + 2),
                                    gpt2_loadu_256(xg + 3 * QB + 2), p->q);
            __m256i sum = zero; // 128 × Σ q per lane, by vpdpbusd against bytes of 128
            for (int k = 0; k < 4; k++) sum = _mm256_dpbusd_epi32(sum, offset, p->q[k]);
            p->correction = _mm256_sub_epi32(zero, sum);
            for (int j = 0; j < 4; j++) gd[(g * rows + r) * 4 + j] = _cvtsh_ss(gpt2_load_u16(xg + j * QB));
        }
        for (int64_t t = 0; t < tail; t++) {
            const uint8_t *xb = xr + (groups * 4 + t) * QB;
            tc[r * tail + t] = _mm256_sub_epi32(zero, _mm256_dpbusd_epi32(zero, offset, gpt2_loadu_256(xb + 2)));
            td[r * tail + t] = _cvtsh_ss(gpt2_load_u16(xb));
        }
    }
    const uint8_t *xt = x + groups * 4 * QB;
    switch (rows) {
    case 1: gpt2_grouped_outputs(1, y, y_stride, w, row_bytes, gx, gd, groups, xt, tc, td, tail, bias, out_begin, out_end); break;
    case 2: gpt2_grouped_outputs(2, y, y_stride, w, row_bytes, gx, gd, groups, xt, tc, td, tail, bias, out_begin, out_end); break;
    case 3: gpt2_grouped_outputs(3, y, y_stride, w, row_bytes, gx, gd, groups, xt, tc, td, tail, bias, out_begin, out_end); break;
    case 4: gpt2_grouped_outputs(4, y, y_stride, w, row_bytes, gx, gd, groups, xt, tc, td, tail, bias, out_begin, out_end); break;
    case 5: gpt2_grouped_outputs(5, y, y_stride, w, row_bytes, gx, gd, groups, xt, tc, td, tail, bias, out_begin, out_end); break;
    case 6: gpt2_grouped_outputs(6, y, y_stride, w, row_bytes, gx, gd, groups, xt, tc, td, tail, bias, out_begin, out_end); break;
    default: gpt2_grouped_outputs(7, y, y_stride, w, row_bytes, gx, gd, groups, xt, tc, td, tail, bias, out_begin, out_end); break;
    }
}

// --- Packed kernel (many rows) ---------------------------------------------------------------

enum {
    GPT2_PACK_TILE = 16,        // output rows per tile: one per 32-bit lane of a zmm
    GPT2_PACK_MAX_BLOCKS = 64,  // blocks per packed chunk: 64 × 576 bytes = 36 KiB
    GPT2_PACK_ROW_GROUP = 4,    // activation rows per inner iteration (6 or 8 are no faster)
};

// One block of a 16-row tile: w[k] lane j = bytes 4k ... 4k+3 of row j, plus 128 (unsigned);
// d lane j = row j's scale.
typedef struct gpt2_packed_block {
    __m512i w[8];
    __m512 d;
} gpt2_packed_block;

// Packs `kc` blocks of n ≤ 16 rows starting at `w` (rows beyond n repeat the last one, and
// their results are never stored), prefetching the `next` rows after them. Two rows per zmm,
// then an 8 × 8 dword transpose inside each 256-bit half; the row order in the halves makes the
// last step put row j in lane j.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_pack_tile(gpt2_packed_block *pack, const uint8_t *w, int64_t row_bytes,
                                                    int n, int next, int64_t kc) {
    static const int low_row[8] = {0, 1, 2, 3, 8, 9, 10, 11};
    const uint8_t *row[16];
    int32_t offsets[16];
    for (int j = 0; j < 16; j++) {
        const int64_t valid = j < n ? j : n - 1;
        row[j] = w + valid * row_bytes;
        offsets[j] = (int32_t)(valid * row_bytes);
    }
    const __m512i index = _mm512_loadu_si512(offsets);
    const __m512i offset = _mm512_set1_epi8((char)0x80);
    for (int64_t b = 0; b < kc; b++) {
        const int64_t at = b * QB + 2;
        // The next tile's rows, into L2: the 16 interleaved row streams defeat the hardware
        // prefetchers, and this more than doubles the speed at few activation rows.
        for (int j = 0; j < next; j++) _mm_prefetch((const char *)(w + (GPT2_PACK_TILE + j) * row_bytes + at), _MM_HINT_T1);
        __m512i z[8];
        for (int m = 0; m < 8; m++) {
            const __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(gpt2_loadu_256(row[low_row[m]] + at)),
                                                    gpt2_loadu_256(row[low_row[m] + 4] + at), 1);
            z[m] = _mm512_xor_si512(both, offset);
        }
        const __m512i t0 = _mm512_unpacklo_epi32(z[0], z[1]), t1 = _mm512_unpackhi_epi32(z[0], z[1]);
        const __m512i t2 = _mm512_unpacklo_epi32(z[2], z[3]), t3 = _mm512_unpackhi_epi32(z[2], z[3]);
        const __m512i t4 = _mm512_unpacklo_epi32(z[4], z[5]), t5 = _mm512_unpackhi_epi32(z[4], z[5]);
        const __m512i t6 = _mm512_unpacklo_epi32(z[6], z[7]), t7 = _mm512_unpackhi_epi32(z[6], z[7]);
        const __m512i u0 = _mm512_unpacklo_epi64(t0, t2), u1 = _mm512_unpackhi_epi64(t0, t2);
        const __m512i u2 = _mm512_unpacklo_epi64(t1, t3), u3 = _mm512_unpackhi_epi64(t1, t3);
        const __m512i u4 = _mm512_unpacklo_epi64(t4, t6), u5 = _mm512_unpackhi_epi64(t4, t6);
        const __m512i u6 = _mm512_unpacklo_epi64(t5, t7), u7 = _mm512_unpackhi_epi64(t5, t7);
        gpt2_packed_block *p = pack + b;
        p->w[0] = _mm512_shuffle_i32x4(u0, u4, _MM_SHUFFLE(2, 0, 2, 0));
        p->w[1] = _mm512_shuffle_i32x4(u1, u5, _MM_SHUFFLE(2, 0, 2, 0));
        p->w[2] = _mm512_shuffle_i32x4(u2, u6, _MM_SHUFFLE(2, 0, 2, 0));
        p->w[3] = _mm512_shuffle_i32x4(u3, u7, _MM_SHUFFLE(2, 0, 2, 0));
        p->w[4] = _mm512_shuffle_i32x4(u0, u4, _MM_SHUFFLE(3, 1, 3, 1));
        p->w[5] = _mm512_shuffle_i32x4(u1, u5, _MM_SHUFFLE(3, 1, 3, 1));
        p->w[6] = _mm512_shuffle_i32x4(u2, u6, _MM_SHUFFLE(3, 1, 3, 1));
        p->w[7] = _mm512_shuffle_i32x4(u3, u7, _MM_SHUFFLE(3, 1, 3, 1));
        // Each lane gathers the dword at its block's start: the fp16 scale in its low half.
        const __m512i heads = _mm512_i32gather_epi32(index, (const void *)(w + b * QB), 1);
        p->d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(heads));
    }
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

// R activation rows × one packed 16-row tile over `kc` blocks; adds the results to y (or to
// the bias on the first chunk). Lanes beyond the tile's rows are masked off.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_packed_rows(const int R, const gpt2_packed_block *pack, int64_t kc,
                                                      const uint8_t *x, int64_t row_bytes,
                                                      const gpt2_x_block_info *info, float *y, int64_t y_stride,
                                                      const float *bias, __mmask16 mask, int first) {
    __m512 acc[8];
    for (int r = 0; r < R; r++) acc[r] = _mm512_setzero_ps();
    for (int64_t b = 0; b < kc; b++) {
        const gpt2_packed_block *p = pack + b;
        __m512i wk[8];
        for (int k = 0; k < 8; k++) wk[k] = _mm512_load_si512(&p->w[k]);
        const __m512 dw = _mm512_load_ps(&p->d);
        for (int r = 0; r < R; r++) {
            const uint8_t *xb = x + r * row_bytes + b * QB + 2;
            const gpt2_x_block_info in = info[r * kc + b];
            __m512i sums = _mm512_set1_epi32(in.correction);
            for (int k = 0; k < 8; k++) sums = _mm512_dpbusd_epi32(sums, wk[k], _mm512_set1_epi32(gpt2_load_i32(xb + 4 * k)));
            acc[r] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sums), _mm512_mul_ps(dw, _mm512_set1_ps(in.d)), acc[r]);
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
static void gpt2_matmul_packed(float *y, int64_t y_stride, const uint8_t *w, const uint8_t *x, const float *bias,
                               int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    enum { G = GPT2_PACK_ROW_GROUP };
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    const int64_t kc_max = gpt2_balanced_chunk(nb, GPT2_PACK_MAX_BLOCKS);
    const int64_t rc_max = GPT2_X_INFO_CAPACITY / kc_max;
    gpt2_packed_block pack[GPT2_PACK_MAX_BLOCKS];
    gpt2_x_block_info info[GPT2_X_INFO_CAPACITY];
    for (int64_t r0 = 0; r0 < rows; r0 += rc_max) {
        const int64_t rc = rows - r0 < rc_max ? rows - r0 : rc_max;
        for (int64_t b0 = 0; b0 < nb; b0 += kc_max) {
            const int64_t kc = nb - b0 < kc_max ? nb - b0 : kc_max;
            const uint8_t *xc = x + r0 * row_bytes + b0 * QB;
            gpt2_prepare_x_info(info, xc, row_bytes, rc, kc);
            const int first = b0 == 0;
            for (int64_t o0 = out_begin; o0 < out_end; o0 += GPT2_PACK_TILE) {
                const int n = out_end - o0 < GPT2_PACK_TILE ? (int)(out_end - o0) : GPT2_PACK_TILE;
                const __mmask16 mask = (__mmask16)((1u << n) - 1);
                const int64_t after = out_end - o0 - n;
                const int next = after < GPT2_PACK_TILE ? (int)after : GPT2_PACK_TILE;
                gpt2_pack_tile(pack, w + o0 * row_bytes + b0 * QB, row_bytes, n, next, kc);
                const float *bo = bias ? bias + o0 : NULL;
                float *yo = y + r0 * y_stride + o0;
                int64_t r = 0;
                for (; r + G <= rc; r += G) {
                    gpt2_packed_rows(G, pack, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first);
                }
                switch (rc - r) {
                case 1: gpt2_packed_rows(1, pack, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                case 2: gpt2_packed_rows(2, pack, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                case 3: gpt2_packed_rows(3, pack, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                case 4: gpt2_packed_rows(4, pack, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                case 5: gpt2_packed_rows(5, pack, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                case 6: gpt2_packed_rows(6, pack, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                case 7: gpt2_packed_rows(7, pack, kc, xc + r * row_bytes, row_bytes, info + r * kc, yo + r * y_stride, y_stride, bo, mask, first); break;
                default: break;
                }
            }
        }
    }
}

GPT2_TARGET_AVX512
void gpt2_matmul_q8_0_avx512(float *y, int64_t y_stride, const void *w, const void *x, const float *bias,
                             int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    if (rows <= GPT2_GROUPED_MAX_ROWS && rows * (columns / QK) <= GPT2_GROUPED_CAPACITY) {
        gpt2_matmul_grouped(y, y_stride, w, x, bias, rows, columns, out_begin, out_end);
    } else if (rows <= GPT2_DIRECT_MAX_ROWS) {
        gpt2_matmul_direct(y, y_stride, w, x, bias, rows, columns, out_begin, out_end);
    } else {
        gpt2_matmul_packed(y, y_stride, w, x, bias, rows, columns, out_begin, out_end);
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

// --- Attention ---------------------------------------------------------------------------------

// Head dimensions per pass: q, or the output, in at most 8 zmm registers.
enum { GPT2_ATTENTION_CHUNK = 128 };

// The sums of a0 ... a3 in lanes 0 ... 3.
GPT2_INLINE GPT2_TARGET_AVX512 __m128 gpt2_sum4_512(__m512 a0, __m512 a1, __m512 a2, __m512 a3) {
    // Per 128-bit lane: pairs of a0/a1 and a2/a3 interleaved and added, then the 64-bit halves.
    const __m512 t0 = _mm512_add_ps(_mm512_unpacklo_ps(a0, a1), _mm512_unpackhi_ps(a0, a1));
    const __m512 t1 = _mm512_add_ps(_mm512_unpacklo_ps(a2, a3), _mm512_unpackhi_ps(a2, a3));
    const __m512 u = _mm512_add_ps(_mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t0), _mm512_castps_pd(t1))),
                                   _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t0), _mm512_castps_pd(t1))));
    const __m256 h = _mm256_add_ps(_mm512_castps512_ps256(u), _mm512_extractf32x8_ps(u, 1));
    return _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
}

// Vector v of NV over one chunk of dimensions at p: the last one masked (it may be partial).
#define GPT2_LOAD_CHUNK(NV, v, last, p) \
    ((v) == (NV) - 1 ? _mm512_maskz_loadu_ps((last), (p) + 16 * (v)) : _mm512_loadu_ps((p) + 16 * (v)))

// scores[t] (+)= q · keys[t] over one chunk of NV vectors, four positions at a time.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_attention_dots_512(const int NV, const float *q, const float *keys,
                                                            const float *keys_rest, int64_t split,
                                                             int64_t stride, int64_t positions, __mmask16 last,
                                                             float *scores, int accumulate) {
    __m512 qv[8];
    for (int v = 0; v < NV; v++) qv[v] = GPT2_LOAD_CHUNK(NV, v, last, q);
    int64_t t = 0;
    for (; t + 4 <= positions; t += 4) {
        __m512 acc[4];
        for (int j = 0; j < 4; j++) {
            const float *k = gpt2_attention_row(keys, keys_rest, split, stride, t + j);
            acc[j] = _mm512_mul_ps(qv[0], GPT2_LOAD_CHUNK(NV, 0, last, k));
            for (int v = 1; v < NV; v++) acc[j] = _mm512_fmadd_ps(qv[v], GPT2_LOAD_CHUNK(NV, v, last, k), acc[j]);
        }
        __m128 dots = gpt2_sum4_512(acc[0], acc[1], acc[2], acc[3]);
        if (accumulate) dots = _mm_add_ps(dots, _mm_loadu_ps(scores + t));
        _mm_storeu_ps(scores + t, dots);
    }
    for (; t < positions; t++) {
        const float *k = gpt2_attention_row(keys, keys_rest, split, stride, t);
        __m512 acc = _mm512_mul_ps(qv[0], GPT2_LOAD_CHUNK(NV, 0, last, k));
        for (int v = 1; v < NV; v++) acc = _mm512_fmadd_ps(qv[v], GPT2_LOAD_CHUNK(NV, v, last, k), acc);
        const float dot = _mm512_reduce_add_ps(acc);
        scores[t] = accumulate ? scores[t] + dot : dot;
    }
}

// out = Σ_t scores[t] × values[t] over one chunk of NV vectors; even and odd positions in
// separate accumulators, to halve the FMA dependency chains.
GPT2_INLINE GPT2_TARGET_AVX512 void gpt2_attention_values_512(const int NV, const float *values,
                                                              const float *values_rest, int64_t split, int64_t stride,
                                                               int64_t positions, __mmask16 last, const float *scores,
                                                               float *out) {
    __m512 even[8], odd[8];
    for (int v = 0; v < NV; v++) even[v] = odd[v] = _mm512_setzero_ps();
    int64_t t = 0;
    for (; t + 2 <= positions; t += 2) {
        const float *v0 = gpt2_attention_row(values, values_rest, split, stride, t);
        const float *v1 = gpt2_attention_row(values, values_rest, split, stride, t + 1);
        const __m512 p0 = _mm512_set1_ps(scores[t]), p1 = _mm512_set1_ps(scores[t + 1]);
        for (int v = 0; v < NV; v++) {
            even[v] = _mm512_fmadd_ps(p0, GPT2_LOAD_CHUNK(NV, v, last, v0), even[v]);
            odd[v] = _mm512_fmadd_ps(p1, GPT2_LOAD_CHUNK(NV, v, last, v1), odd[v]);
        }
    }
    if (t < positions) {
        const float *v0 = gpt2_attention_row(values, values_rest, split, stride, t);
        const __m512 p0 = _mm512_set1_ps(scores[t]);
        for (int v = 0; v < NV; v++) even[v] = _mm512_fmadd_ps(p0, GPT2_LOAD_CHUNK(NV, v, last, v0), even[v]);
    }
    for (int v = 0; v < NV; v++) {
        const __mmask16 mask = v == NV - 1 ? last : (__mmask16)0xFFFF;
        _mm512_mask_storeu_ps(out + 16 * v, mask, _mm512_add_ps(even[v], odd[v]));
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

GPT2_TARGET_AVX512
void gpt2_attention_f32_avx512(const float *q, const float *keys, const float *values, int64_t split,
                               const float *keys_rest, const float *values_rest, int64_t stride,
                               int64_t positions, int64_t head_dim, float scale, float *scores, float *out) {
    for (int64_t i = 0; i < head_dim; i++) out[i] = 0;
    if (positions <= 0) return;
    if (head_dim <= 0) memset(scores, 0, (size_t)positions * sizeof *scores);
    for (int64_t c = 0; c < head_dim; c += GPT2_ATTENTION_CHUNK) {
        const int64_t width = head_dim - c < GPT2_ATTENTION_CHUNK ? head_dim - c : GPT2_ATTENTION_CHUNK;
        const int nv = (int)((width + 15) / 16);
        const __mmask16 last = (__mmask16)(width % 16 ? (1u << (width % 16)) - 1 : 0xFFFFu);
#define GPT2_DOTS(NV) \
    gpt2_attention_dots_512(NV, q + c, keys + c, keys_rest + c, split, stride, positions, last, scores, c > 0)
        GPT2_CHUNK_SWITCH(nv, GPT2_DOTS)
#undef GPT2_DOTS
    }
    // Scale, maximum, exponentials and their sum, normalization: 16 positions at a time.
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
    for (int64_t c = 0; c < head_dim; c += GPT2_ATTENTION_CHUNK) {
        const int64_t width = head_dim - c < GPT2_ATTENTION_CHUNK ? head_dim - c : GPT2_ATTENTION_CHUNK;
        const int nv = (int)((width + 15) / 16);
        const __mmask16 last = (__mmask16)(width % 16 ? (1u << (width % 16)) - 1 : 0xFFFFu);
#define GPT2_VALUES(NV) \
    gpt2_attention_values_512(NV, values + c, values_rest + c, split, stride, positions, last, scores, out + c)
        GPT2_CHUNK_SWITCH(nv, GPT2_VALUES)
#undef GPT2_VALUES
    }
}

#undef GPT2_CHUNK_SWITCH
#undef GPT2_LOAD_CHUNK

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
