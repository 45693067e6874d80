// CGPT2Kernels: the int8 and fp32 hot loops of the GPT-2 engine, with runtime CPU dispatch.
//
// Q8_0 is ggml's format: a row of `columns` values (a multiple of 32) is stored as columns / 32
// blocks of 34 bytes, a little-endian fp16 scale d followed by 32 int8 values q, meaning d × q.
// Weights are (out, columns) with one row per output feature; activations are (rows, columns),
// quantized the same way by gpt2_quantize_rows_q8_0. Blocks need no alignment.
//
// Three code paths: AVX-512 VNNI, AVX2 (with FMA and F16C) and portable C. The fastest the CPU
// supports is chosen on first use; gpt2_kernels_select forces another one for the whole process,
// and the *_on functions run one path for one call without touching that global choice (tests
// and benchmarks use them). Every fast kernel has a plain C reference beside it.
//
// Quantized values are expected in [-127, 127], which is what gpt2_quantize_rows_q8_0 and ggml's
// quantizers produce. Weights holding -128 are still handled exactly on every path; activations
// holding -128 are exact on the portable and AVX-512 paths only.
#ifndef CGPT2_KERNELS_H
#define CGPT2_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GPT2_Q8_0_BLOCK_VALUES 32
#define GPT2_Q8_0_BLOCK_BYTES 34

typedef enum gpt2_kernels_path {
    GPT2_KERNELS_AUTO = 0,        // the best path the CPU supports
    GPT2_KERNELS_PORTABLE = 1,    // plain C, any CPU
    GPT2_KERNELS_AVX2 = 2,        // x86-64 with AVX2, FMA and F16C
    GPT2_KERNELS_AVX512_VNNI = 3, // x86-64 with AVX-512 F/BW/VL/DQ and VNNI (vpdpbusd)
} gpt2_kernels_path;

// The path gpt2_kernels_select(wanted) would use: `wanted` if the CPU supports it, else the best
// supported path below it (AUTO gives the best path). Changes nothing.
gpt2_kernels_path gpt2_kernels_resolve(gpt2_kernels_path wanted);
// Makes gpt2_kernels_resolve(wanted) the path of every later call of the dispatching functions
// below, for all threads; returns it.
gpt2_kernels_path gpt2_kernels_select(gpt2_kernels_path wanted);
// The path the dispatching functions use now.
gpt2_kernels_path gpt2_kernels_current(void);
// "auto", "portable", "avx2", "avx512-vnni"; "unknown" for anything else.
const char *gpt2_kernels_path_name(gpt2_kernels_path path);

// --- Q8_0 -------------------------------------------------------------------------------------

// Bytes of one Q8_0 row of `columns` values (columns / 32 × 34).
int64_t gpt2_q8_0_row_bytes(int64_t columns);

// x (rows, columns) fp32 → y (rows, columns / 32 blocks) Q8_0, per block: d = max|x| / 127 (fp16,
// rounded to nearest even), q = round(x / d) with halves away from zero (ggml's reference
// quantizer); a block of zeros gets d = 0. The fast paths give the same bytes as the reference.
// x must be finite (otherwise the block's contents are unspecified, but nothing is undefined).
void gpt2_quantize_rows_q8_0(const float *x, void *y, int64_t rows, int64_t columns);
// One Q8_0 row x (columns / 32 blocks) → y (columns): y = d × q. Exact in fp32; one path only.
void gpt2_dequantize_row_q8_0(const void *x, float *y, int64_t columns);

// --- Q8_0 weights in tiles of 16 rows: the layout the matrix product reads -------------------
//
// A weight matrix (out, columns) in Q8_0 is rearranged, once, into ceil(out / 16) tiles of 16
// rows; tile t holds rows 16t ... 16t + 15 (rows past `out` are zero blocks) as columns / 32
// tile blocks of 544 bytes, tile block b being block b of each of the 16 rows:
//   bytes [0, 32)                the 16 fp16 scales, row j at 2j;
//   bytes [32 + 64k, 96 + 64k)   values 4k ... 4k + 3 of every row, row j at 4j (k in [0, 8)),
//                                each stored as q + 128 (q ^ 0x80, an unsigned byte).
// The same size as the rows: one 64-byte load holds four values of each of 16 rows, so one
// dot-product instruction (vpdpbusd, which wants one operand unsigned) serves 16 outputs, and
// the product reads the whole matrix as one sequential stream with nothing to do per call but
// the arithmetic.
#define GPT2_Q8_0_TILE_ROWS 16
#define GPT2_Q8_0_TILE_BLOCK_BYTES 544

// Bytes of the tiled layout of an (out, columns) matrix.
int64_t gpt2_q8_0_tiled_bytes(int64_t out, int64_t columns);
// w (out, columns) Q8_0 rows → tiles (gpt2_q8_0_tiled_bytes(out, columns) bytes). Rows
// [row_begin, row_end) only (whole tiles: both multiples of 16, or row_end = out), so several
// threads can share the work; the caller does all of [0, out) in the end.
void gpt2_tile_q8_0(void *tiles, const void *w, int64_t out, int64_t columns, int64_t row_begin, int64_t row_end);
// Row `row` of a tiled matrix → y (columns) fp32, d × q (exact).
void gpt2_dequantize_tiled_row_q8_0(const void *tiles, int64_t row, int64_t columns, float *y);

// y[r * y_stride + o] = (bias ? bias[o] : 0) + Σ_blocks d_w × d_x × Σ_i w_i × x_i
// for r in [0, rows), o in [out_begin, out_end), where
//   w    (out, columns) Q8_0 weights in tiles (gpt2_tile_q8_0), with out ≥ out_end,
//   x    (rows, columns) Q8_0 activations (plain rows, from gpt2_quantize_rows_q8_0),
//   bias (out) fp32 or NULL,
//   y    (rows, y_stride) fp32; only the columns [out_begin, out_end) of each row are written.
// Each weight block loaded is used for all `rows` activation rows, so pass all the rows of a
// step at once, and split work across threads by output range in whole tiles (ranges starting
// at multiples of 16; any range works, a tile cut by it is computed whole). The activations are
// prepared (scales and sums) once per call. Scratch memory is on the stack (under 100 KiB). The
// fp32 accumulation order differs between paths; results agree with the reference to a few
// units in the last place of Σ|terms|.
void gpt2_matmul_q8_0(float *y, int64_t y_stride, const void *w, const void *x, const float *bias,
                      int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end);

// --- fp32 kernels -----------------------------------------------------------------------------

// Σ a[i] × b[i], i in [0, n).
float gpt2_dot_f32(const float *a, const float *b, int64_t n);
// y[i] += alpha × x[i], i in [0, n).
void gpt2_axpy_f32(float alpha, const float *x, float *y, int64_t n);
// The index of the largest of x[0 .. n), the first among equal ones, NaN never chosen; 0 when n ≤ 0
// or x[0] is NaN. (What a loop that moves to i whenever x[i] > x[best] finds.)
int64_t gpt2_argmax_f32(const float *x, int64_t n);

// --- Attention over the int8 engine's cache ----------------------------------------------------
//
// Keys of one head are kept as Q8_0 in the tiled layout of the weights, positions as its rows
// and the head's dimensions, padded with zeros to a multiple of 32 (gpt2_key_columns), as its
// columns: the dot products of a query with every key are then the Q8_0 product of the query,
// quantized the same way, with the keys (gpt2_matmul_q8_0's kernel, one vpdpbusd for four
// dimensions of 16 positions), as llama.cpp's cache of q8_0 keys computes them. Values are fp16
// rows of head_dim (IEEE binary16 bit patterns, widened exactly as they are read).
//
// A cache may be in two parts: positions [0, split) at `keys`/`values` (a prompt shared by the
// sequences continuing it), the others at `keys_rest`/`values_rest`, whose row 0 is position
// `split`. The result does not depend on where the split is.

// head_dim rounded up to a multiple of 32.
int64_t gpt2_key_columns(int64_t head_dim);
// Bytes of the keys of `positions` positions (ceil(positions / 16) tiles); a cache with room
// for more positions holds these bytes first.
int64_t gpt2_key_bytes(int64_t positions, int64_t head_dim);
// Quantizes `key` (head_dim floats, finite) and writes it as row `position` of `keys`.
void gpt2_store_key_q8_0(void *keys, int64_t position, const float *key, int64_t head_dim);
// Copies row `from` of `source` to row `to` of `target` (both key tiles of one head_dim).
void gpt2_copy_key_q8_0(void *target, int64_t to, const void *source, int64_t from, int64_t head_dim);

// Asks for the memory that storing position `position` writes (its row of the key tiles, its fp16
// value row at values + position × head_dim) to be brought into the cache, without waiting: a
// step's stores then wait for memory once, not once per store.
void gpt2_prefetch_kv_store(const void *keys, const uint16_t *values, int64_t position, int64_t head_dim);

// One query of gpt2_attention_rows: head_dim floats, where its positions from the split on
// are, how many positions it attends to, and where its output goes (head_dim floats).
typedef struct gpt2_attention_query {
    const float *q;
    const void *keys_rest;
    const uint16_t *values_rest;
    int64_t positions;
    float *out;
} gpt2_attention_query;

// For each of `rows` queries of one head, over its first `positions` positions:
//   scores[t] = softmax_t(scale × Σ_blocks d_q × d_k × Σ_i q_i × k_ti)   (q in Q8_0 like the keys),
//   out[i]    = Σ_t scores[t] × value_t[i],
// in fp32 with the maximum subtracted before exponentiating. Row r's softmax weights go to
// scores + r × scores_stride (at least positions floats each, scratch); out is overwritten (zeros
// for no positions). The rows share their first `split` positions: their products with those keys
// are one call for all, and the AVX-512 path widens each shared value once for up to three rows.
// Each row gets exactly the bits it gets alone (rows = 1). The fast paths use a polynomial exp
// within ~1 ulp and their own summation orders: results agree with the reference to a few units
// in the last place of Σ|terms|. head_dim is at most GPT2_ATTENTION_MAX_HEAD_DIM.
void gpt2_attention_rows(int64_t rows, const gpt2_attention_query *each, const void *keys, const uint16_t *values,
                         int64_t split, int64_t head_dim, float scale, float *scores, int64_t scores_stride);
#define GPT2_ATTENTION_MAX_HEAD_DIM 4096

// GPT-2's GELU in place, the tanh form: x ← 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))).
// The fast paths evaluate it without libm and without the cancellation of 1 + tanh for
// negative x: within 2.85 ulp of the formula evaluated in fp64 (every float in [−10, 10]),
// GELU(+∞) = +∞, GELU(−∞) = −0, NaN stays NaN. The reference is the formula in fp32 with tanhf.
void gpt2_gelu_f32(float *x, int64_t n);

// --- One path for one call (resolved as gpt2_kernels_resolve does) -----------------------------

void gpt2_quantize_rows_q8_0_on(gpt2_kernels_path path, const float *x, void *y, int64_t rows,
                                int64_t columns);
void gpt2_matmul_q8_0_on(gpt2_kernels_path path, float *y, int64_t y_stride, const void *w,
                         const void *x, const float *bias, int64_t rows, int64_t columns,
                         int64_t out_begin, int64_t out_end);
float gpt2_dot_f32_on(gpt2_kernels_path path, const float *a, const float *b, int64_t n);
void gpt2_axpy_f32_on(gpt2_kernels_path path, float alpha, const float *x, float *y, int64_t n);
int64_t gpt2_argmax_f32_on(gpt2_kernels_path path, const float *x, int64_t n);
void gpt2_attention_rows_on(gpt2_kernels_path path, int64_t rows, const gpt2_attention_query *each,
                            const void *keys, const uint16_t *values, int64_t split, int64_t head_dim, float scale,
                            float *scores, int64_t scores_stride);
void gpt2_gelu_f32_on(gpt2_kernels_path path, float *x, int64_t n);

// --- Plain C references: straightforward loops, the ground truth of the tests -----------------

void gpt2_quantize_rows_q8_0_reference(const float *x, void *y, int64_t rows, int64_t columns);
// The reference product takes the weights as plain Q8_0 rows (out, columns), not tiled.
void gpt2_matmul_q8_0_reference(float *y, int64_t y_stride, const void *w, const void *x,
                                const float *bias, int64_t rows, int64_t columns,
                                int64_t out_begin, int64_t out_end);
float gpt2_dot_f32_reference(const float *a, const float *b, int64_t n);
void gpt2_axpy_f32_reference(float alpha, const float *x, float *y, int64_t n);
int64_t gpt2_argmax_f32_reference(const float *x, int64_t n);
// One query, in order: the reference quantizer, integer sums, libm's expf.
void gpt2_attention_reference(const gpt2_attention_query *row, const void *keys, const uint16_t *values, int64_t split,
                              int64_t head_dim, float scale, float *scores);
void gpt2_gelu_f32_reference(float *x, int64_t n);

// x (n) fp32 → y (n) fp16 bit patterns, rounding to nearest even (gpt2_fp32_to_fp16 on each);
// every path gives the same bits.
void gpt2_fp32_to_fp16_row(const float *x, uint16_t *y, int64_t n);
void gpt2_fp32_to_fp16_row_on(gpt2_kernels_path path, const float *x, uint16_t *y, int64_t n);

// fp16 bit patterns ↔ fp32 (round to nearest even; NaN stays NaN), as the kernels use them.
float gpt2_fp16_to_fp32(uint16_t h);
uint16_t gpt2_fp32_to_fp16(float f);

#ifdef __cplusplus
}
#endif

#endif
