// The plain C kernels: the references the tests trust, and the portable path for CPUs without
// a fast one (written so that compilers vectorize the inner loops).
#include "kernels_internal.h"

#include <math.h>

float gpt2_fp16_to_fp32(uint16_t h) { return gpt2_half_to_float(h); }

uint16_t gpt2_fp32_to_fp16(float f) { return gpt2_float_to_half(f); }

int64_t gpt2_q8_0_row_bytes(int64_t columns) { return columns / QK * QB; }

// --- References ------------------------------------------------------------------------------

void gpt2_quantize_rows_q8_0_reference(const float *x, void *y, int64_t rows, int64_t columns) {
    const int64_t blocks = rows * (columns / QK);
    uint8_t *out = y;
    for (int64_t b = 0; b < blocks; b++) {
        const float *v = x + b * QK;
        uint8_t *block = out + b * QB;
        float amax = 0;
        for (int i = 0; i < QK; i++) {
            const float a = v[i] < 0 ? -v[i] : v[i];
            if (a > amax) amax = a;
        }
        const float id = gpt2_q8_0_store_scale(block, amax);
        for (int i = 0; i < QK; i++) block[2 + i] = (uint8_t)gpt2_round_to_int8(v[i] * id);
    }
}

void gpt2_matmul_q8_0_reference(float *y, int64_t y_stride, const void *w, const void *x,
                                const float *bias, int64_t rows, int64_t columns,
                                int64_t out_begin, int64_t out_end) {
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    for (int64_t r = 0; r < rows; r++) {
        const uint8_t *xr = (const uint8_t *)x + r * row_bytes;
        for (int64_t o = out_begin; o < out_end; o++) {
            const uint8_t *wo = (const uint8_t *)w + o * row_bytes;
            float sum = 0;
            for (int64_t b = 0; b < nb; b++) {
                const uint8_t *wb = wo + b * QB;
                const uint8_t *xb = xr + b * QB;
                int32_t isum = 0;
                for (int i = 0; i < QK; i++) isum += (int8_t)wb[2 + i] * (int8_t)xb[2 + i];
                const float scale = gpt2_half_to_float(gpt2_load_u16(wb)) * gpt2_half_to_float(gpt2_load_u16(xb));
                sum += (float)isum * scale;
            }
            y[r * y_stride + o] = (bias ? bias[o] : 0.0f) + sum;
        }
    }
}

float gpt2_dot_f32_reference(const float *a, const float *b, int64_t n) {
    float sum = 0;
    for (int64_t i = 0; i < n; i++) sum += a[i] * b[i];
    return sum;
}

void gpt2_axpy_f32_reference(float alpha, const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += alpha * x[i];
}

int64_t gpt2_argmax_f32_reference(const float *x, int64_t n) {
    int64_t best = 0;
    for (int64_t i = 1; i < n; i++) {
        if (x[i] > x[best]) best = i;
    }
    return best;
}

void gpt2_gelu_f32_reference(float *x, int64_t n) {
    const float c = 0.7978845608f; // √(2/π)
    for (int64_t i = 0; i < n; i++) {
        const float v = x[i];
        x[i] = 0.5f * v * (1.0f + tanhf(c * (v + 0.044715f * v * v * v)));
    }
}

// --- Portable path ---------------------------------------------------------------------------

void gpt2_quantize_rows_q8_0_portable(const float *x, void *y, int64_t rows, int64_t columns) {
    gpt2_quantize_rows_q8_0_reference(x, y, rows, columns);
}

void gpt2_dequantize_row_q8_0(const void *x, float *y, int64_t columns) {
    const uint8_t *in = x;
    for (int64_t b = 0; b < columns / QK; b++) {
        const uint8_t *block = in + b * QB;
        const float d = gpt2_half_to_float(gpt2_load_u16(block));
        for (int i = 0; i < QK; i++) y[b * QK + i] = d * (float)(int8_t)block[2 + i];
    }
}

// One tile block against one activation block: the 16 rows' int32 sums, in loops that
// compilers vectorize over the rows (lane j of each 64-byte group is row j, stored as q + 128).
static inline void gpt2_tile_block_sums(const uint8_t *restrict values, const int8_t *restrict x, int32_t sums[16]) {
    int32_t xsum = 0;
    for (int i = 0; i < QK; i++) xsum += x[i];
    for (int j = 0; j < GPT2_Q8_0_TILE_ROWS; j++) sums[j] = -128 * xsum;
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < GPT2_Q8_0_TILE_ROWS; j++) {
            const uint8_t *v = values + 64 * k + 4 * j;
            sums[j] += v[0] * x[4 * k] + v[1] * x[4 * k + 1] + v[2] * x[4 * k + 2] + v[3] * x[4 * k + 3];
        }
    }
}

// One tile at a time, each activation row over all its blocks. Within one (row, output) the
// sum runs over the blocks in order, as the reference's does.
void gpt2_matmul_q8_0_portable(float *y, int64_t y_stride, const void *w, const void *x, const float *bias,
                               int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    enum { T = GPT2_Q8_0_TILE_ROWS };
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    const uint8_t *xbytes = x;
    for (int64_t o0 = out_begin / T * T; o0 < out_end; o0 += T) {
        const uint8_t *tile = (const uint8_t *)w + o0 / T * nb * GPT2_Q8_0_TILE_BLOCK_BYTES;
        const int64_t lo = out_begin > o0 ? out_begin - o0 : 0;
        const int64_t hi = out_end - o0 < T ? out_end - o0 : T;
        for (int64_t r = 0; r < rows; r++) {
            const uint8_t *xr = xbytes + r * row_bytes;
            float sum[T] = {0};
            for (int64_t b = 0; b < nb; b++) {
                const uint8_t *block = tile + b * GPT2_Q8_0_TILE_BLOCK_BYTES;
                const uint8_t *xb = xr + b * QB;
                const float dx = gpt2_half_to_float(gpt2_load_u16(xb));
                int32_t isum[T];
                gpt2_tile_block_sums(block + 32, (const int8_t *)(xb + 2), isum);
                for (int64_t j = 0; j < T; j++) {
                    sum[j] += (float)isum[j] * (gpt2_half_to_float(gpt2_load_u16(block + 2 * j)) * dx);
                }
            }
            float *yr = y + r * y_stride + o0;
            for (int64_t j = lo; j < hi; j++) yr[j] = (bias ? bias[o0 + j] : 0.0f) + sum[j];
        }
    }
}

// Eight partial sums, which compilers turn into vector lanes.
float gpt2_dot_f32_portable(const float *a, const float *b, int64_t n) {
    float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int k = 0; k < 8; k++) lanes[k] += a[i + k] * b[i + k];
    }
    float sum = ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5])) + ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

int64_t gpt2_argmax_f32_portable(const float *x, int64_t n) { return gpt2_argmax_f32_reference(x, n); }

void gpt2_axpy_f32_portable(float alpha, const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += alpha * x[i];
}

// The steps of the reference with the polynomial exp of the vector paths instead of libm's
// (plain loops, which compilers vectorize where fma is native).
void gpt2_softmax_values_f16_portable(int64_t rows, const gpt2_attention_query *each, const uint16_t *values,
                                      int64_t split, int64_t head_dim, float scale, float *scores,
                                      int64_t scores_stride) {
    for (int64_t r = 0; r < rows; r++) {
        const int64_t positions = each[r].positions;
        float *s = scores + r * scores_stride, *out = each[r].out;
        for (int64_t i = 0; i < head_dim; i++) out[i] = 0;
        if (positions <= 0) continue;
        for (int64_t t = 0; t < positions; t++) s[t] *= scale;
        float maximum = s[0];
        for (int64_t t = 1; t < positions; t++) maximum = s[t] > maximum ? s[t] : maximum;
        float sum = 0;
        for (int64_t t = 0; t < positions; t++) {
            s[t] = gpt2_exp_approx(s[t] - maximum);
            sum += s[t];
        }
        const float inverse = 1.0f / sum;
        for (int64_t t = 0; t < positions; t++) s[t] *= inverse;
        for (int64_t t = 0; t < positions; t++) {
            const float p = s[t];
            const uint16_t *v = gpt2_attention_row(values, each[r].values_rest, split, head_dim, t);
            for (int64_t i = 0; i < head_dim; i++) out[i] += p * gpt2_half_to_float(v[i]);
        }
    }
}

void gpt2_fp32_to_fp16_row_portable(const float *x, uint16_t *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] = gpt2_float_to_half(x[i]);
}

void gpt2_gelu_f32_portable(float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) x[i] = gpt2_gelu_approx(x[i]);
}
