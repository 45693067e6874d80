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
        const float d = amax / 127.0f;
        const float id = d != 0 ? 1.0f / d : 0.0f;
        const uint16_t h = gpt2_float_to_half(d);
        block[0] = (uint8_t)(h & 0xFF);
        block[1] = (uint8_t)(h >> 8);
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

void gpt2_attention_f32_reference(const float *q, const float *keys, const float *values, int64_t split,
                                  const float *keys_rest, const float *values_rest, int64_t stride,
                                  int64_t positions, int64_t head_dim, float scale, float *scores, float *out) {
    for (int64_t i = 0; i < head_dim; i++) out[i] = 0;
    if (positions <= 0) return;
    for (int64_t t = 0; t < positions; t++) {
        scores[t] = gpt2_dot_f32_reference(q, gpt2_attention_row(keys, keys_rest, split, stride, t), head_dim) * scale;
    }
    float maximum = scores[0];
    for (int64_t t = 1; t < positions; t++) {
        if (scores[t] > maximum) maximum = scores[t];
    }
    float sum = 0;
    for (int64_t t = 0; t < positions; t++) {
        scores[t] = expf(scores[t] - maximum);
        sum += scores[t];
    }
    const float inverse = 1.0f / sum;
    for (int64_t t = 0; t < positions; t++) scores[t] *= inverse;
    for (int64_t t = 0; t < positions; t++) {
        gpt2_axpy_f32_reference(scores[t], gpt2_attention_row(values, values_rest, split, stride, t), out, head_dim);
    }
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

// One activation block against the same block of four weight rows. Written as one loop with
// four sums so that compilers vectorize it (sdot on arm64, pmaddwd/pmullw on x86).
static inline void gpt2_block_dot4(const int8_t *restrict x, const int8_t *restrict w0, const int8_t *restrict w1,
                                   const int8_t *restrict w2, const int8_t *restrict w3, int32_t sums[4]) {
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int i = 0; i < QK; i++) {
        const int32_t xi = x[i];
        s0 += w0[i] * xi;
        s1 += w1[i] * xi;
        s2 += w2[i] * xi;
        s3 += w3[i] * xi;
    }
    sums[0] = s0;
    sums[1] = s1;
    sums[2] = s2;
    sums[3] = s3;
}

// Four output rows at a time (the last tile repeats its last row and drops those results);
// their scales are converted once per chunk of blocks. Within one (row, output) the sum runs
// over the blocks in order, as the reference's does, kept in y between chunks.
void gpt2_matmul_q8_0_portable(float *y, int64_t y_stride, const void *w, const void *x, const float *bias,
                               int64_t rows, int64_t columns, int64_t out_begin, int64_t out_end) {
    enum { TILE = 4, CHUNK = 256 };
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    const uint8_t *xbytes = x;
    float dw[TILE][CHUNK];
    for (int64_t o0 = out_begin; o0 < out_end; o0 += TILE) {
        const int64_t n = out_end - o0 < TILE ? out_end - o0 : TILE;
        const uint8_t *wr[TILE];
        for (int64_t j = 0; j < TILE; j++) wr[j] = (const uint8_t *)w + (o0 + (j < n ? j : n - 1)) * row_bytes;
        for (int64_t b0 = 0; b0 < nb; b0 += CHUNK) {
            const int64_t kc = nb - b0 < CHUNK ? nb - b0 : CHUNK;
            for (int64_t j = 0; j < TILE; j++) {
                for (int64_t b = 0; b < kc; b++) dw[j][b] = gpt2_half_to_float(gpt2_load_u16(wr[j] + (b0 + b) * QB));
            }
            for (int64_t r = 0; r < rows; r++) {
                const uint8_t *xr = xbytes + r * row_bytes + b0 * QB;
                float *yr = y + r * y_stride + o0;
                float sum[TILE] = {0, 0, 0, 0};
                if (b0 > 0) {
                    for (int64_t j = 0; j < n; j++) sum[j] = yr[j];
                }
                for (int64_t b = 0; b < kc; b++) {
                    const uint8_t *xb = xr + b * QB;
                    const int64_t at = (b0 + b) * QB + 2;
                    const float dx = gpt2_half_to_float(gpt2_load_u16(xb));
                    int32_t isum[TILE];
                    gpt2_block_dot4((const int8_t *)(xb + 2), (const int8_t *)(wr[0] + at), (const int8_t *)(wr[1] + at),
                                    (const int8_t *)(wr[2] + at), (const int8_t *)(wr[3] + at), isum);
                    for (int64_t j = 0; j < TILE; j++) sum[j] += (float)isum[j] * (dw[j][b] * dx);
                }
                const int last = b0 + kc >= nb;
                for (int64_t j = 0; j < n; j++) yr[j] = last ? (bias ? bias[o0 + j] : 0.0f) + sum[j] : sum[j];
            }
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

void gpt2_axpy_f32_portable(float alpha, const float *x, float *y, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += alpha * x[i];
}

// The steps of the reference with the 8-lane dot product and the polynomial exp of the vector
// paths instead of libm's (plain loops, which compilers vectorize where fma is native).
void gpt2_attention_f32_portable(const float *q, const float *keys, const float *values, int64_t split,
                                 const float *keys_rest, const float *values_rest, int64_t stride,
                                 int64_t positions, int64_t head_dim, float scale, float *scores, float *out) {
    for (int64_t i = 0; i < head_dim; i++) out[i] = 0;
    if (positions <= 0) return;
    for (int64_t t = 0; t < positions; t++) {
        scores[t] = gpt2_dot_f32_portable(q, gpt2_attention_row(keys, keys_rest, split, stride, t), head_dim) * scale;
    }
    float maximum = scores[0];
    for (int64_t t = 1; t < positions; t++) maximum = scores[t] > maximum ? scores[t] : maximum;
    float sum = 0;
    for (int64_t t = 0; t < positions; t++) {
        scores[t] = gpt2_exp_approx(scores[t] - maximum);
        sum += scores[t];
    }
    const float inverse = 1.0f / sum;
    for (int64_t t = 0; t < positions; t++) scores[t] *= inverse;
    for (int64_t t = 0; t < positions; t++) {
        const float p = scores[t];
        const float *v = gpt2_attention_row(values, values_rest, split, stride, t);
        for (int64_t i = 0; i < head_dim; i++) out[i] += p * v[i];
    }
}

void gpt2_gelu_f32_portable(float *x, int64_t n) {
    for (int64_t i = 0; i < n; i++) x[i] = gpt2_gelu_approx(x[i]);
}
